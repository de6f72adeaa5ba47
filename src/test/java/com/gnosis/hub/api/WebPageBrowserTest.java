package com.gnosis.hub.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.gnosis.hub.testing.Corpus;
import com.gnosis.hub.testing.HubServer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page at / in Debian's Chromium (headless, driven by Selenium through Debian's chromedriver): upload a
 * born-digital PDF, watch it reach 100%, check the viewer's text and boxes, delete the session. CI installs
 * the browser (.ci/run); without it this test fails, it never skips. Screenshots go to target/screenshots.
 */
class WebPageBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String USER = "browser@example.org";
    private static final String DOCUMENT = "pdfbox_PDFBOX-3038-001033-p2.pdf";

    @TempDir
    static Path storage;
    @TempDir
    static Path profile;

    static HubServer hub;
    static ChromeDriver browser;
    static Path screenshots;

    @BeforeAll
    static void start() throws Exception {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("the browser test needs Debian's Chromium: apt-get install -y chromium chromium-driver "
                        + "(.ci/run does this); missing %s or %s", CHROMIUM, CHROMEDRIVER)
                .isTrue();
        hub = HubServer.start(storage, Map.of("OCR_WORKERS", "2"));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1280,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        screenshots = Path.of("target", "screenshots");
        Files.createDirectories(screenshots);
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.quit();
        if (hub != null) hub.close();
    }

    @Test
    void uploadFollowViewAndDeleteADocument() throws Exception {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        browser.get(hub.uri("/").toString());
        WebElement email = browser.findElement(By.id("email"));
        email.clear();
        email.sendKeys(USER + "\t");
        wait.until(d -> USER.equals(browser.executeScript("return localStorage.getItem('gnosis.email')")));
        screenshot("1-upload");

        browser.findElement(By.id("file-input")).sendKeys(Corpus.dev(DOCUMENT).toRealPath().toString());
        WebElement upload = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".upload")));
        screenshot("2-progress");
        wait.until(d -> "100".equals(upload.findElement(By.cssSelector(".process-bar")).getAttribute("aria-valuenow")));
        assertThat(upload.getAttribute("class")).contains("done");
        assertThat(upload.findElement(By.cssSelector(".state")).getText()).isEqualTo("Completed: 1 page");
        assertThat(upload.findElement(By.cssSelector(".upload-bar")).getAttribute("aria-valuenow")).isEqualTo("100");
        String id = upload.getAttribute("data-session");
        assertThat(id).matches("[0-9a-f-]{36}");
        screenshot("3-completed");

        // the session list knows it too, completed
        WebElement listed = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#sessions .session[data-session='" + id + "']")));
        wait.until(d -> listed.findElement(By.cssSelector(".status")).getText().equals("completed"));

        upload.findElement(By.cssSelector(".view")).click();
        WebElement viewer = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("viewer")));
        wait.until(d -> !viewer.findElements(By.cssSelector("#page-lines .line")).isEmpty());
        List<WebElement> lines = viewer.findElements(By.cssSelector("#page-lines .line"));
        assertThat(lines).extracting(WebElement::getText).anySatisfy(t -> assertThat(t).contains("INTRODUCTION"));
        assertThat(browser.findElement(By.id("page-label")).getText()).isEqualTo("Page 1 of 1");

        WebElement image = browser.findElement(By.id("page-image"));
        wait.until(d -> (Boolean) browser.executeScript("return arguments[0].complete && arguments[0].naturalWidth > 0", image));
        List<WebElement> boxes = viewer.findElements(By.cssSelector("#page-boxes polygon.box"));
        assertThat(boxes).hasSameSizeAs(lines);
        Rectangle page = image.getRect();
        WebElement introduction = boxes.get(indexOf(lines, "INTRODUCTION"));
        Rectangle box = introduction.getRect();
        assertThat(box.getWidth()).isPositive();
        assertThat(box.getHeight()).isPositive();
        assertThat(box.getX()).isBetween(page.getX(), page.getX() + page.getWidth());
        assertThat(box.getY()).isBetween(page.getY(), page.getY() + page.getHeight());

        // hovering a box marks its line, and the reverse
        new Actions(browser).moveToElement(introduction).perform();
        wait.until(d -> lines.get(indexOf(lines, "INTRODUCTION")).getAttribute("class").contains("active"));
        screenshot("4-viewer");
        WebElement other = lines.get(lines.size() - 1);
        // the text column scrolls on its own: a pointer only reaches what is in view
        browser.executeScript("arguments[0].scrollIntoView({block: 'center'})", other);
        new Actions(browser).moveToElement(other).perform();
        wait.until(d -> boxes.get(boxes.size() - 1).getAttribute("class").contains("active"));

        browser.manage().window().setSize(new Dimension(390, 844));
        screenshot("5-phone-viewer");
        browser.manage().window().setSize(new Dimension(1280, 1000));

        listed.findElement(By.cssSelector("button.delete")).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(
                By.cssSelector("#sessions .session[data-session='" + id + "']")));
        assertThat(browser.findElement(By.id("viewer")).isDisplayed()).isFalse();
        assertThat(hub.get("/status/" + id, USER).statusCode()).isEqualTo(404);
        assertThat(browser.findElement(By.id("messages")).getText()).contains("Deleted " + DOCUMENT);
    }

    @Test
    void apiErrorsAreShownInWords() throws Exception {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        browser.get(hub.uri("/").toString());
        Path text = storage.resolve("notes.pdf");
        Files.writeString(text, "not a PDF at all");
        browser.findElement(By.id("file-input")).sendKeys(text.toRealPath().toString());
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#messages p.error")));
        assertThat(error.getText()).contains("Uploading notes.pdf").contains("HTTP 415");
        screenshot("6-error");
    }

    private static int indexOf(List<WebElement> lines, String word) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).getText().contains(word)) return i;
        }
        throw new AssertionError(word + " is not in the page text");
    }

    private static void screenshot(String name) throws IOException {
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), screenshots.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
