package com.gnosis.hub.ocr;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.pdfbox.io.RandomAccessRead;
import org.apache.pdfbox.io.RandomAccessReadView;

/**
 * A PDF file for PDFBox, read through one open channel that every view of it (PDFBox makes one per stream it
 * parses) shares. PDFBox's own {@code RandomAccessReadBufferedFile} opens the file again by its name for each view,
 * so a document whose file is deleted while its pages are read (its owner deleted the session) breaks off half-way,
 * with PDFBox logging an error of its own; an open channel reads the file's bytes until the document is closed.
 * Reads are positional, so views can be read from several threads at once; each instance has its own position and
 * buffer and is used by one thread at a time, as PDFBox uses its readers. (As for any {@link FileChannel}, a thread
 * interrupted while it reads closes the channel: the document then reads no more, which is how the hub's page
 * workers are stopped anyway.)
 */
final class ChannelRead implements RandomAccessRead {

    private static final int BUFFER_SIZE = 8 * 1024;

    private final FileChannel channel;
    private final boolean ownsChannel;
    private final long length;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
    /** The file position of the buffer's first byte; the buffer holds bytes [bufferStart, bufferStart + limit). */
    private long bufferStart;
    private long position;
    private boolean closed;

    private ChannelRead(FileChannel channel, boolean ownsChannel, long length) {
        this.channel = channel;
        this.ownsChannel = ownsChannel;
        this.length = length;
        buffer.limit(0);
    }

    /** Opens {@code file}; closing the result closes the channel (and with it every view). */
    static ChannelRead open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new ChannelRead(channel, true, channel.size());
        } catch (RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public int read() throws IOException {
        if (!fill()) return -1;
        int b = buffer.get((int) (position - bufferStart)) & 0xff;
        position++;
        return b;
    }

    @Override
    public int read(byte[] into, int offset, int count) throws IOException {
        if (count == 0) return 0;
        if (!fill()) return -1;
        int at = (int) (position - bufferStart);
        int n = Math.min(count, buffer.limit() - at);
        buffer.get(at, into, offset, n);
        position += n;
        return n;
    }

    /** Makes the buffer hold the byte at the current position; false at the end of the file. */
    private boolean fill() throws IOException {
        checkOpen();
        if (position >= length) return false;
        if (position >= bufferStart && position < bufferStart + buffer.limit()) return true;
        buffer.clear();
        int read = 0;
        while (read == 0) {
            read = channel.read(buffer, position);
        }
        if (read < 0) {
            buffer.limit(0);
            throw new EOFException("the file ended at " + position + " of the " + length + " bytes it had when opened");
        }
        buffer.flip();
        bufferStart = position;
        return true;
    }

    @Override
    public long getPosition() throws IOException {
        checkOpen();
        return position;
    }

    @Override
    public void seek(long newPosition) throws IOException {
        checkOpen();
        if (newPosition < 0) throw new IOException("Invalid position " + newPosition);
        position = newPosition;
    }

    @Override
    public long length() throws IOException {
        checkOpen();
        return length;
    }

    @Override
    public boolean isClosed() {
        return closed || !channel.isOpen();
    }

    @Override
    public boolean isEOF() throws IOException {
        checkOpen();
        return position >= length;
    }

    @Override
    public RandomAccessReadView createView(long start, long viewLength) throws IOException {
        checkOpen();
        return new RandomAccessReadView(new ChannelRead(channel, false, length), start, viewLength, true);
    }

    /**
     * Another reader of the same open file with its own position and buffer, for a further PDFBox document read by
     * another thread; closing it leaves the file open, so it reads the file even after the file is deleted.
     */
    ChannelRead sibling() throws IOException {
        checkOpen();
        return new ChannelRead(channel, false, length);
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        if (ownsChannel) channel.close();
    }

    private void checkOpen() throws IOException {
        if (isClosed()) throw new IOException("ChannelRead already closed");
    }
}
