package com.gnosis.hub;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Keeps the package structure from rotting (as buckpal's DependencyRuleTests): packages are named by domain and
 * depend on each other without cycles; Camel is wiring, so only the adapters that routes call may import it.
 */
@AnalyzeClasses(packages = "com.gnosis.hub", importOptions = ImportOption.DoNotIncludeTests.class)
class DependencyRulesTest {

    /** A package (with its sub-packages) never depends, through any chain, on a package that depends on it. */
    @ArchTest
    static final ArchRule packagesFormNoCycles = slices().matching("com.gnosis.hub.(*)..").should().beFreeOfCycles();

    /** The domain is plain Java (camel-util's helpers, a plain library, aside): sessions, storage, identity, OCR, intake, settings, migration, live progress. */
    @ArchTest
    static final ArchRule domainNeedsNoCamel = noClasses()
            .that().resideInAnyPackage("com.gnosis.hub.session..", "com.gnosis.hub.storage..",
                    "com.gnosis.hub.identity..", "com.gnosis.hub.ocr..", "com.gnosis.hub.intake..",
                    "com.gnosis.hub.settings..", "com.gnosis.hub.migration..", "com.gnosis.hub.progress..")
            .should().dependOnClassesThat(resideInAPackage("org.apache.camel..").and(not(resideInAPackage("org.apache.camel.util.."))))
            .because("routes are wiring: logic is plain Java called from bean steps (STYLE.md)");
}
