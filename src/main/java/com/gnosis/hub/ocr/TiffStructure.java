package com.gnosis.hub.ocr;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * Walks a TIFF's chain of image file directories (IFDs) before ImageIO is given the file: ImageIO's TIFF reader
 * follows an IFD offset that points back into the chain forever (a 186-byte file stalls a thread at full CPU).
 * Every IFD offset, in the main chain and in the sub-IFDs ImageIO reads (SubIFDs, Exif, GPS, Interoperability),
 * must lie inside the file and be visited once; the number of pages and of directories is bounded.
 */
final class TiffStructure {

    /** Tags whose values are offsets of further IFDs that a TIFF reader may follow. */
    private static final Set<Integer> IFD_POINTERS = Set.of(330, 34665, 34853, 40965);
    private static final int TYPE_LONG = 4;
    private static final int TYPE_IFD = 13;
    /** A directory with more entries than this is not a page scan but a crafted file. */
    private static final int MAX_ENTRIES = 4096;
    private static final int MAX_SUB_IFD_DEPTH = 4;

    private final FileChannel file;
    private final long size;
    private final ByteOrder order;
    private final Set<Long> visited = new HashSet<>();
    private final int maxDirectories;

    private TiffStructure(FileChannel file, ByteOrder order, int maxPages) throws IOException {
        this.file = file;
        this.size = file.size();
        this.order = order;
        // every page may have a few sub-IFDs (Exif, GPS, thumbnails): more than this many directories is a bomb
        this.maxDirectories = maxPages * 8 + 64;
    }

    /**
     * The number of pages of a classic TIFF, or a refusal: {@code corrupt_image} for an IFD offset outside the
     * file or one that was seen before (a loop), {@code too_many_pages} over {@code maxPages}.
     */
    static int pages(Path path, int maxPages) throws DocumentException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer header = read(channel, 0, 8, ByteOrder.LITTLE_ENDIAN);
            if (header == null) throw corrupt("it is shorter than a TIFF header");
            ByteOrder order = header.get(0) == 'M' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            header.order(order);
            TiffStructure tiff = new TiffStructure(channel, order, maxPages);
            return tiff.mainChain(Integer.toUnsignedLong(header.getInt(4)), maxPages);
        } catch (IOException e) {
            throw new DocumentException("unreadable", "The file cannot be read: " + e.getMessage(), e);
        }
    }

    private int mainChain(long first, int maxPages) throws IOException, DocumentException {
        int pages = 0;
        for (long offset = first; offset != 0; ) {
            pages++;
            if (pages > maxPages) {
                throw new DocumentException("too_many_pages",
                        "The TIFF has more than " + maxPages + " pages; at most " + maxPages + " are accepted (MAX_PAGES).");
            }
            offset = directory(offset, 0);
        }
        if (pages == 0) throw corrupt("it has no image directory");
        return pages;
    }

    /** Reads the directory at {@code offset}, follows its sub-IFD pointers, and returns the next IFD's offset. */
    private long directory(long offset, int depth) throws IOException, DocumentException {
        if (offset < 8 || offset + 2 > size) throw corrupt("an image directory offset points outside the file");
        if (!visited.add(offset)) throw corrupt("its image directories form a loop");
        if (visited.size() > maxDirectories) throw corrupt("it has more than " + maxDirectories + " image directories");
        int entries = Short.toUnsignedInt(read(file, offset, 2, order).getShort(0));
        if (entries == 0 || entries > MAX_ENTRIES) throw corrupt("an image directory has " + entries + " entries");
        ByteBuffer table = read(file, offset + 2, entries * 12L + 4, order);
        if (table == null) throw corrupt("an image directory runs past the end of the file");
        for (int i = 0; i < entries; i++) {
            int at = i * 12;
            int tag = Short.toUnsignedInt(table.getShort(at));
            int type = Short.toUnsignedInt(table.getShort(at + 2));
            long count = Integer.toUnsignedLong(table.getInt(at + 4));
            if (!IFD_POINTERS.contains(tag) && type != TYPE_IFD) continue;
            if (type != TYPE_LONG && type != TYPE_IFD) continue;
            if (depth >= MAX_SUB_IFD_DEPTH) throw corrupt("its image directories nest too deeply");
            if (count > 64) throw corrupt("a directory points at " + count + " sub-directories");
            ByteBuffer offsets = count == 1 ? table.duplicate().order(order).position(at + 8).slice().order(order)
                    : read(file, Integer.toUnsignedLong(table.getInt(at + 8)), count * 4, order);
            if (offsets == null) throw corrupt("a sub-directory list runs past the end of the file");
            for (int k = 0; k < count; k++) {
                // a sub-IFD's own chain is followed too: readers walk it for thumbnails and reduced images
                for (long sub = Integer.toUnsignedLong(offsets.getInt(k * 4)); sub != 0; ) {
                    sub = directory(sub, depth + 1);
                }
            }
        }
        return Integer.toUnsignedLong(table.getInt(entries * 12));
    }

    /** {@code length} bytes at {@code position}, or null when the file ends before them. */
    private static ByteBuffer read(FileChannel channel, long position, long length, ByteOrder order) throws IOException {
        if (length > 1 << 20 || position + length > channel.size()) return null;
        ByteBuffer buffer = ByteBuffer.allocate((int) length).order(order);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) return null;
        }
        return buffer.flip();
    }

    private static DocumentException corrupt(String why) {
        return new DocumentException("corrupt_image", "The TIFF image is damaged and cannot be read: " + why + ".");
    }
}
