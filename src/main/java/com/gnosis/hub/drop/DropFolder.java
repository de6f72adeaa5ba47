package com.gnosis.hub.drop;

import com.gnosis.hub.identity.UserIdentity;
import com.gnosis.hub.intake.Intake;
import com.gnosis.hub.ocr.DocumentException;
import com.gnosis.hub.storage.LocalStorage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

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

    /** Takes a dropped file into a new session of its owner. */
    public Intake.Accepted accept(String relativePath, Path file) throws DocumentException, IOException {
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
