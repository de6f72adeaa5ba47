package com.gnosis.hub.drop;

import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.intake.Intake;
import com.gnosis.hub.ocr.DocumentException;
import com.gnosis.hub.storage.LocalStorage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watched drop folder: {@code inbox/{email}/name.pdf} belongs to that e-mail, a file at the inbox
 * root to the default user. Taken files move to {@code .done/{email}/}, refused ones to
 * {@code .failed/{email}/} beside {@code name.error.txt}; a finished session's markdown lands beside its
 * original in .done as {@code name.md}.
 */
public final class DropFolder {

    public static final String DONE = ".done";
    public static final String FAILED = ".failed";
    /** Why a file waits in the inbox (its owner is over a quota): {@code .waiting/{email}/name.quota.txt}. */
    public static final String WAITING = ".waiting";


    private final Path inbox;
    private final Intake intake;
    private final UserIdentity defaultUser;
    /** The inbox as storage: result and reason files are written atomically and only inside it. */
    private final LocalStorage files;
    /** Links refused already: each is logged once, not at every poll. */
    private final java.util.Set<String> refusedLinks = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final Logger LOG = LoggerFactory.getLogger(DropFolder.class);

    public DropFolder(Path inbox, Intake intake, UserIdentity defaultUser) {
        this.inbox = inbox;
        this.files = new LocalStorage(inbox);
        this.intake = intake;
        this.defaultUser = defaultUser;
    }

    public Path inbox() {
        return inbox;
    }

    /**
     * Where a file goes below .done or .failed: its path with the owner's folder first; a file at the root
     * goes under the default user's folder.
     */
    public String target(String relativePath) {
        String path = relativePath.replace('\\', '/');
        return path.contains("/") ? path : defaultUser.email() + "/" + path;
    }

    /**
     * Whether a path in the inbox is, or runs through, a symbolic link; so is a file whose place below .done or
     * .failed does. The drop folder never follows a link: a link would let whoever can write to the inbox have the
     * hub read a file elsewhere (a key, another user's upload), move files out of a folder elsewhere, or write into
     * storage. A link itself is moved to .failed beside its reason, its target never touched.
     *
     * @return true when the path must not be taken (then it has been dealt with and logged)
     */
    boolean refuseLink(Path path, String relativePath, boolean directory) {
        String link = linkIn(relativePath);
        if (link == null && !directory) {
            String target = target(relativePath);
            link = linkIn(DONE + "/" + target) != null || linkIn(FAILED + "/" + target) != null
                    ? ".done or .failed" : null;
        }
        if (link == null) return false;
        if (refusedLinks.add(path.toString()) && refusedLinks.size() < 10_000) {
            // the path names its owner's e-mail: only at DEBUG
            LOG.warn("A symbolic link in the drop folder was refused: links are never followed");
            LOG.debug("Refused link in the drop folder: {} (through {})", relativePath, link);
        }
        if (Files.isSymbolicLink(path) && linkIn(FAILED + "/" + target(relativePath)) == null) {
            try {
                Path failed = inbox.resolve(FAILED).resolve(target(relativePath)).normalize();
                if (failed.startsWith(inbox) && linkIn(inbox.relativize(failed.getParent()).toString()) == null) {
                    Files.createDirectories(failed.getParent());
                    // moves the link itself (a rename), never what it points at
                    Files.move(path, failed, LinkOption.NOFOLLOW_LINKS);
                    write(FAILED + "/" + withoutExtension(target(relativePath)) + ".error.txt",
                            "A symbolic link is not taken: the drop folder never follows links. Copy the file itself.\n");
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("A refused link stays in the inbox: {}", e.getMessage());
            }
        }
        return true;
    }

    /** The first part of {@code relativePath} (below the inbox) that is a symbolic link, or null when none is. */
    String linkIn(String relativePath) {
        Path at = inbox;
        for (String part : relativePath.replace('\\', '/').split("/")) {
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) return relativePath;
            at = at.resolve(part);
            if (Files.isSymbolicLink(at)) return inbox.relativize(at).toString();
            if (!Files.exists(at, LinkOption.NOFOLLOW_LINKS)) return null;
        }
        return null;
    }

    /** Takes a dropped file into a new session of its owner. */
    public Intake.Accepted accept(String relativePath, Path file) throws DocumentException, IOException {
        // checked again as it is taken: a file swapped for a link since it was listed is refused too
        if (linkIn(relativePath) != null || !file.toRealPath().startsWith(inbox.toRealPath())) {
            throw new DocumentException("symbolic_link",
                    "A symbolic link is not taken: the drop folder never follows links. Copy the file itself.");
        }
        String path = relativePath.replace('\\', '/');
        UserIdentity owner = owner(path);
        String name = path.substring(path.lastIndexOf('/') + 1);
        return intake.accept(owner, name, file, "drop", DONE + "/" + target(relativePath));
    }

    private UserIdentity owner(String path) throws DocumentException {
        if (!path.contains("/")) return defaultUser;
        String folder = path.substring(0, path.indexOf('/'));
        if (!UserIdentity.looksLikeEmail(folder)) {
            throw new DocumentException("not_an_email", "The folder '" + folder
                    + "' is not an e-mail address; put files in inbox/{email}/ or at the inbox root.");
        }
        return UserIdentity.of(folder);
    }

    /**
     * Whether the file's owner may send it now. A file whose owner is over a quota stays where it is, with
     * {@code .waiting/{email}/name.quota.txt} saying why, until the owner is below the limit again (the note goes then).
     */
    public boolean ownerHasRoom(String relativePath) throws IOException {
        if (!intake.limitsUsers()) return true;
        String path = relativePath.replace('\\', '/');
        UserIdentity owner;
        try {
            owner = owner(path);
        } catch (DocumentException e) {
            return true; // taken, and refused with its reason in .failed
        }
        String note = WAITING + "/" + withoutExtension(target(relativePath)) + ".quota.txt";
        java.util.Optional<String> refusal = intake.quotaRefusal(owner);
        if (refusal.isEmpty()) {
            files.delete(note);
            return true;
        }
        String reason = "Waiting in the inbox: " + refusal.get() + "\n";
        if (!files.get(note).map(b -> new String(b, StandardCharsets.UTF_8)).orElse("").equals(reason)) {
            write(note, reason);
        }
        return false;
    }

    /** Writes {@code .failed/{target without extension}.error.txt} saying why the file was refused. */
    public void recordFailure(String relativePath, String reason) throws IOException {
        write(FAILED + "/" + withoutExtension(target(relativePath)) + ".error.txt", reason + "\n");
    }

    /** Writes a finished session's result beside its original in .done ({@code origin} is relative to the inbox). */
    public void recordResult(String origin, String suffix, String content) throws IOException {
        write(withoutExtension(origin) + suffix, content);
    }

    private void write(String key, String content) throws IOException {
        if (linkIn(key) != null) throw new IOException("refusing to write through a symbolic link in the inbox");
        try {
            files.put(key, content.getBytes(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IOException("refusing to write outside the inbox: " + key, e);
        }
    }

    static String withoutExtension(String path) {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        return dot > slash + 1 ? path.substring(0, dot) : path;
    }
}
