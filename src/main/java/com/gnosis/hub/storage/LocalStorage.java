package com.gnosis.hub.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystems;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/** Storage in a local folder ({@code STORAGE_PATH}); keys are relative paths. */
public final class LocalStorage implements Storage {

    private static final String TEMP_PREFIX = ".tmp-";
    /** Stored documents are the users' own: readable by the hub's user and group, never by every account. */
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-r-----");
    private static final Set<PosixFilePermission> FOLDER_MODE = PosixFilePermissions.fromString("rwxr-x---");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path root;

    public LocalStorage(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            if (!Files.isDirectory(this.root)) Files.createDirectories(this.root, folderMode());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create storage root " + this.root, e);
        }
    }

    public Path root() {
        return root;
    }

    /** The file behind a key (for streaming it out); it may not exist. */
    public Path resolve(String key) {
        Path path = root.resolve(Storage.checkKey(key)).normalize();
        if (!path.startsWith(root)) {
            throw new IllegalArgumentException("invalid storage key: " + key);
        }
        return path;
    }

    @Override
    public void put(String key, byte[] data) throws IOException {
        Path target = resolve(key);
        Path temp = tempBeside(target);
        try {
            Files.write(temp, data);
            restrict(temp);
            moveAtomically(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** The content goes to a temp name first, then a hard link makes it appear whole: linking fails if the key exists. */
    @Override
    public boolean createIfAbsent(String key, byte[] data) throws IOException {
        Path target = resolve(key);
        Path temp = tempBeside(target);
        try {
            Files.write(temp, data);
            Files.createLink(target, temp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (UnsupportedOperationException e) {
            // a file system without hard links: an exclusive create, then the bytes
            try {
                Files.write(target, data, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return true;
            } catch (FileAlreadyExistsException exists) {
                return false;
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public void putFile(String key, Path source) throws IOException {
        Path target = resolve(key);
        Path temp = tempBeside(target);
        try {
            Files.copy(source, temp, StandardCopyOption.REPLACE_EXISTING);
            restrict(temp);
            moveAtomically(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public void putFileTaking(String key, Path source) throws IOException {
        Path target = resolve(key);
        createParent(target);
        try {
            restrict(source);
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // another file system: copied (atomically, through a temp name), then removed
            Storage.super.putFileTaking(key, source);
        }
    }

    @Override
    public Optional<Path> localFile(String key) {
        Path path = resolve(key);
        return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
    }

    @Override
    public Optional<byte[]> get(String key) throws IOException {
        Path path = resolve(key);
        // a missing key is common (duplicate index lookups): a stat is much cheaper than the exception
        if (!Files.exists(path)) return Optional.empty();
        try {
            return Optional.of(Files.readAllBytes(path));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<InputStream> open(String key) throws IOException {
        try {
            return Optional.of(Files.newInputStream(resolve(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(resolve(key));
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        Path dir = resolve(prefix);
        if (!Files.isDirectory(dir)) return List.of();
        List<String> keys = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith(TEMP_PREFIX))
                    .forEach(p -> keys.add(root.relativize(p).toString().replace('\\', '/')));
        } catch (UncheckedIOException e) {
            if (!(e.getCause() instanceof NoSuchFileException)) throw e.getCause();
        }
        keys.sort(null);
        return keys;
    }

    @Override
    public List<String> children(String prefix) throws IOException {
        Path dir = resolve(prefix);
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(name -> !name.startsWith(TEMP_PREFIX))
                    .sorted()
                    .toList();
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    @Override
    public boolean delete(String key) throws IOException {
        return Files.deleteIfExists(resolve(key));
    }

    /**
     * Deletes the files under a prefix and their folders. Another caller may be deleting the same files at the same
     * time (two DELETEs of a session, or the page pipeline tidying up after one): a file that is gone when the walk
     * reaches it is simply gone, and the walk starts over on what is left.
     */
    @Override
    public int deleteAll(String prefix) throws IOException {
        Path dir = resolve(prefix);
        int count = 0;
        for (int walk = 0; walk < 5 && Files.isDirectory(dir); walk++) {
            List<Path> paths;
            try (Stream<Path> found = Files.walk(dir)) {
                paths = found.sorted(Comparator.reverseOrder()).toList();
            } catch (NoSuchFileException e) {
                break;
            } catch (UncheckedIOException e) {
                if (e.getCause() instanceof NoSuchFileException) continue;
                throw e.getCause();
            }
            for (Path p : paths) {
                try {
                    boolean file = Files.isRegularFile(p);
                    if (Files.deleteIfExists(p) && file) count++;
                } catch (DirectoryNotEmptyException e) {
                    // a writer added a file meanwhile: the next walk takes it
                }
            }
        }
        return count;
    }

    @Override
    public boolean available() {
        return Files.isDirectory(root) && Files.isWritable(root);
    }

    @Override
    public String kind() {
        return "local";
    }

    private static Path tempBeside(Path target) throws IOException {
        createParent(target);
        return target.resolveSibling(TEMP_PREFIX + target.getFileName() + "-" + UUID.randomUUID());
    }

    /** Creates the folder of a target that has none yet (checked first: createDirectories throws and catches). */
    private static void createParent(Path target) throws IOException {
        if (!Files.isDirectory(target.getParent())) Files.createDirectories(target.getParent(), folderMode());
    }

    /** Files 0640, folders 0750 (the umask can only narrow them further). */
    private static void restrict(Path file) throws IOException {
        if (POSIX) Files.setPosixFilePermissions(file, FILE_MODE);
    }

    private static FileAttribute<?>[] folderMode() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FOLDER_MODE)} : new FileAttribute<?>[0];
    }

    private static void moveAtomically(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
