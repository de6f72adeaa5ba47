package com.gnosis.hub.ocr;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

/**
 * An open document whose pages can be rendered and, for PDFs, whose text layer can be read.
 * Rendering is serialised (PDFBox and ImageIO readers are not thread-safe); callers OCR in parallel. Text layers are
 * read in parallel: each reading thread borrows one of up to {@code textReaders} further opens of the same file, so a
 * born-digital PDF uses every core while no PDFBox document is ever shared between threads.
 */
public final class Document implements AutoCloseable {

    /**
     * What a document may be before it is refused.
     *
     * @param imageOpenTimeout how long reading an image's headers (pages, sizes; no decoding) may take
     */
    public record Limits(int maxPages, long maxImagePixels, Duration imageOpenTimeout) {
        public static final Limits DEFAULT = new Limits(2000, 100_000_000L);

        public Limits(int maxPages, long maxImagePixels) {
            this(maxPages, maxImagePixels, Duration.ofSeconds(10));
        }
    }

    private final DocumentType type;
    private final Limits limits;
    private final PDDocument pdf;
    private final PDFRenderer renderer;
    private final ImageInputStream imageInput;
    private final ImageReader imageReader;
    private final int pageCount;
    private final ChannelRead source;
    private final int textReaders;
    private final java.util.concurrent.BlockingQueue<PDDocument> spareReaders = new java.util.concurrent.LinkedBlockingQueue<>();
    private final List<PDDocument> openedReaders = new java.util.ArrayList<>();
    private volatile boolean closed;

    private Document(DocumentType type, Limits limits, PDDocument pdf, ImageInputStream imageInput,
                     ImageReader imageReader, int pageCount, ChannelRead source) {
        this.type = type;
        this.source = source;
        this.textReaders = Math.max(1, Runtime.getRuntime().availableProcessors());
        this.limits = limits;
        this.pdf = pdf;
        this.renderer = pdf == null ? null : new PDFRenderer(pdf);
        this.imageInput = imageInput;
        this.imageReader = imageReader;
        this.pageCount = pageCount;
    }

    public static Document open(Path file) throws DocumentException {
        return open(file, Limits.DEFAULT);
    }

    /** Opens a document, checking its type by content and its size against the limits, without decoding pages. */
    public static Document open(Path file, Limits limits) throws DocumentException {
        DocumentType type = detect(file);
        return type == DocumentType.PDF ? openPdf(file, limits) : openImage(file, type, limits);
    }

    /** The document's type from its first bytes. */
    public static DocumentType detect(Path file) throws DocumentException {
        byte[] head = new byte[8];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new DocumentException("unreadable", "The file cannot be read: " + e.getMessage(), e);
        }
        if (read == 0) {
            throw new DocumentException("empty_file", "The file is empty.");
        }
        return DocumentType.detect(head).orElseThrow(() -> new DocumentException("unsupported_type",
                "Not a PDF, PNG, JPEG or TIFF document (checked by content, not by name)."));
    }

    private static Document openPdf(Path file, Limits limits) throws DocumentException {
        checkComplete(file);
        PDDocument pdf;
        ChannelRead source;
        try {
            source = ChannelRead.open(file);
            pdf = Loader.loadPDF(source);
        } catch (InvalidPasswordException e) {
            throw new DocumentException("encrypted_pdf", "The PDF is encrypted with a password; it cannot be read.", e);
        } catch (IOException | RuntimeException e) {
            throw new DocumentException("corrupt_pdf", "The PDF is damaged and cannot be read: " + e.getMessage(), e);
        }
        int pages = pdf.getNumberOfPages();
        try {
            if (pdf.isEncrypted() && !pdf.getCurrentAccessPermission().canExtractContent()) {
                throw new DocumentException("encrypted_pdf", "The PDF is encrypted and does not allow reading its content.");
            }
            if (pages == 0) {
                throw new DocumentException("corrupt_pdf", "The PDF has no pages.");
            }
            if (pages > limits.maxPages()) {
                throw new DocumentException("too_many_pages",
                        "The PDF has " + pages + " pages; at most " + limits.maxPages() + " are accepted (MAX_PAGES).");
            }
        } catch (DocumentException e) {
            closeQuietly(pdf);
            throw e;
        }
        return new Document(DocumentType.PDF, limits, pdf, null, null, pages, source);
    }

    /**
     * A PDF ends with %%EOF; one that does not was cut short (an interrupted upload or copy). PDFBox would still
     * open it, with its last pages blank or missing, so it is refused with the reason instead.
     */
    private static void checkComplete(Path file) throws DocumentException {
        try (java.nio.channels.SeekableByteChannel channel = Files.newByteChannel(file)) {
            long size = channel.size();
            int tail = (int) Math.min(size, 2048);
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(tail);
            channel.position(size - tail);
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // read the tail completely
            }
            String end = new String(buffer.array(), 0, buffer.position(), java.nio.charset.StandardCharsets.ISO_8859_1);
            if (!end.contains("%%EOF")) {
                throw new DocumentException("truncated_pdf",
                        "The PDF is incomplete: it does not end with %%EOF, so the file was cut short (upload or copy interrupted).");
            }
        } catch (IOException e) {
            throw new DocumentException("unreadable", "The file cannot be read: " + e.getMessage(), e);
        }
    }

    private static Document openImage(Path file, DocumentType type, Limits limits) throws DocumentException {
        ImageInputStream input = null;
        try {
            input = ImageIO.createImageInputStream(file.toFile());
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                throw new DocumentException("unsupported_type", "No image reader for this " + type + " file.");
            }
            ImageReader reader = readers.next();
            reader.setInput(input, false, true);
            // the IFD chain is checked by hand first (ImageIO loops on a cyclic one); then ImageIO reads headers, bounded in time
            int pages = type == DocumentType.TIFF ? TiffStructure.pages(file, limits.maxPages()) : 1;
            BoundedRead.call(type + " image", limits.imageOpenTimeout(), input, () -> checkImageHeaders(reader, type, pages, limits));
            return new Document(type, limits, null, input, reader, pages, null);
        } catch (DocumentException e) {
            closeQuietly(input);
            throw e;
        } catch (IOException | RuntimeException e) {
            closeQuietly(input);
            throw new DocumentException("corrupt_image", "The " + type + " image is damaged and cannot be read: "
                    + e.getMessage(), e);
        }
    }

    /** Page count and pixel sizes from the image's headers (no decoding), against the limits. */
    private static Void checkImageHeaders(ImageReader reader, DocumentType type, int pages, Limits limits)
            throws IOException, DocumentException {
        if (type == DocumentType.TIFF && reader.getNumImages(true) != pages) {
            throw new DocumentException("corrupt_image", "The TIFF image is damaged: its pages cannot be counted.");
        }
        for (int i = 0; i < pages; i++) {
            long pixels = (long) reader.getWidth(i) * reader.getHeight(i); // header only, no decoding
            if (pixels > limits.maxImagePixels()) {
                throw new DocumentException("image_too_large", "Page " + (i + 1) + " is " + reader.getWidth(i) + "x"
                        + reader.getHeight(i) + " pixels; at most " + limits.maxImagePixels()
                        + " pixels are accepted (MAX_IMAGE_PIXELS).");
            }
        }
        return null;
    }

    public DocumentType type() { return type; }

    public int pageCount() { return pageCount; }

    /**
     * The page as an RGB image: a PDF page rendered at {@code dpi} (lowered for pages so large that they
     * would exceed MAX_IMAGE_PIXELS), an image frame as it is.
     */
    public synchronized BufferedImage render(int pageIndex, int dpi) throws DocumentException {
        checkIndex(pageIndex);
        try {
            if (pdf != null) {
                checkPageImages(pageIndex);
                return renderer.renderImageWithDPI(pageIndex, effectiveDpi(pageIndex, dpi), ImageType.RGB);
            }
            BufferedImage image = imageReader.read(pageIndex);
            if (image == null) {
                throw new DocumentException("corrupt_image", "Page " + (pageIndex + 1) + " could not be decoded.");
            }
            return image;
        } catch (IOException | RuntimeException e) {
            String code = pdf != null ? "corrupt_pdf" : "corrupt_image";
            throw new DocumentException(code, "Page " + (pageIndex + 1) + " cannot be rendered: " + e.getMessage(), e);
        }
    }

    /** The resolution a PDF page is really rendered at: {@code dpi}, or less where the page is huge. */
    public synchronized float effectiveDpi(int pageIndex, int dpi) {
        if (pdf == null) return dpi;
        return effectiveDpi(pdf.getPage(pageIndex), dpi);
    }

    private float effectiveDpi(PDPage page, int dpi) {
        PDRectangle box = page.getCropBox();
        double pixels = (box.getWidth() * dpi / 72.0) * (box.getHeight() * dpi / 72.0);
        if (pixels <= limits.maxImagePixels()) return dpi;
        return (float) (dpi * Math.sqrt(limits.maxImagePixels() / pixels));
    }

    /**
     * The page's size in pixels as {@link #render} would make it, {width, height}, without rendering: a PDF page's
     * crop box at its effective resolution, turned by its rotation (PDFBox's own rounding); an image frame's header.
     */
    public int[] pageSize(int pageIndex, int dpi) throws DocumentException {
        checkIndex(pageIndex);
        if (pdf == null) {
            synchronized (this) {
                try {
                    return new int[] {imageReader.getWidth(pageIndex), imageReader.getHeight(pageIndex)};
                } catch (IOException e) {
                    throw new DocumentException("corrupt_image", "Page " + (pageIndex + 1) + " cannot be read: "
                            + e.getMessage(), e);
                }
            }
        }
        PDDocument reader = borrowReader();
        try {
            PDPage page = reader.getPage(pageIndex);
            return pixelSize(page, effectiveDpi(page, dpi));
        } finally {
            spareReaders.add(reader);
        }
    }

    private static int[] pixelSize(PDPage page, float dpi) {
        PDRectangle box = page.getCropBox();
        float scale = dpi / 72f;
        int w = (int) Math.max(Math.floor(box.getWidth() * scale), 1);
        int h = (int) Math.max(Math.floor(box.getHeight() * scale), 1);
        int rotation = page.getRotation();
        return rotation == 90 || rotation == 270 ? new int[] {h, w} : new int[] {w, h};
    }

    /**
     * The PDF page's text layer at the page's rendering resolution, position sorted, with the page's pixel size;
     * empty for images and for pages without text. Safe to call from several threads at once (see the class comment).
     */
    public Optional<TextLayer> textLayer(int pageIndex, int dpi) throws DocumentException {
        checkIndex(pageIndex);
        if (pdf == null) return Optional.empty();
        PDDocument reader = borrowReader();
        try {
            PDPage page = reader.getPage(pageIndex);
            float effective = effectiveDpi(page, dpi);
            TextLayer layer = TextLayer.extract(reader, pageIndex, effective / 72f, pixelSize(page, effective));
            return layer.text().isBlank() ? Optional.empty() : Optional.of(layer);
        } catch (IOException | RuntimeException e) {
            throw new DocumentException("corrupt_pdf", "The text of page " + (pageIndex + 1) + " cannot be read: "
                    + e.getMessage(), e);
        } finally {
            spareReaders.add(reader);
        }
    }

    /** A PDFBox document of this file for one thread's use: a spare one, a new one (up to textReaders), or a wait. */
    private PDDocument borrowReader() throws DocumentException {
        PDDocument spare = spareReaders.poll();
        if (spare != null) return spare;
        synchronized (openedReaders) {
            if (closed) throw new DocumentException("closed", "The document was closed.");
            if (openedReaders.size() < textReaders) {
                try {
                    // the file as it was opened (not its name again): a file deleted meanwhile is still read whole
                    PDDocument opened = Loader.loadPDF(source.sibling());
                    openedReaders.add(opened);
                    return opened;
                } catch (IOException e) {
                    throw new DocumentException("corrupt_pdf", "The PDF cannot be read: " + e.getMessage(), e);
                }
            }
        }
        try {
            return spareReaders.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DocumentException("interrupted", "Reading was interrupted.", e);
        }
    }

    /**
     * PDFBox decodes a page's images at their own size, whatever the rendering resolution: an image declaring more
     * than MAX_IMAGE_PIXELS (a few compressed bytes can declare 40000x40000) fails the page before it is decoded.
     */
    private void checkPageImages(int pageIndex) throws IOException, DocumentException {
        checkImages(pdf.getPage(pageIndex).getResources(), pageIndex, new java.util.HashSet<>());
    }

    private void checkImages(org.apache.pdfbox.pdmodel.PDResources resources, int pageIndex,
                             java.util.Set<org.apache.pdfbox.cos.COSBase> seen) throws IOException, DocumentException {
        if (resources == null || !seen.add(resources.getCOSObject()) || seen.size() > 1000) return;
        for (org.apache.pdfbox.cos.COSName name : resources.getXObjectNames()) {
            org.apache.pdfbox.pdmodel.graphics.PDXObject object = resources.getXObject(name);
            if (object instanceof org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject image) {
                long pixels = (long) image.getWidth() * image.getHeight();
                if (pixels > limits.maxImagePixels()) {
                    throw new DocumentException("image_too_large", "Page " + (pageIndex + 1) + " holds an image of "
                            + image.getWidth() + "x" + image.getHeight() + " pixels; at most " + limits.maxImagePixels()
                            + " pixels are accepted (MAX_IMAGE_PIXELS).");
                }
            } else if (object instanceof org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject form) {
                checkImages(form.getResources(), pageIndex, seen);
            }
        }
    }

    private void checkIndex(int pageIndex) {
        if (pageIndex < 0 || pageIndex >= pageCount) {
            throw new IndexOutOfBoundsException("page " + (pageIndex + 1) + " of " + pageCount);
        }
    }

    @Override
    public synchronized void close() {
        synchronized (openedReaders) {
            closed = true;
            openedReaders.forEach(Document::closeQuietly);
            openedReaders.clear();
        }
        closeQuietly(pdf);
        if (imageReader != null) imageReader.dispose();
        closeQuietly(imageInput);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) return;
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing a read-only source: nothing to recover
        }
    }

    /**
     * The text of one PDF page and its lines (with their words' glyph boxes), and the page's size in pixels.
     *
     * @param size {width, height} of the page as it would be rendered
     */
    public record TextLayer(String text, List<TextLine> lines, int[] size) {

        static TextLayer extract(PDDocument pdf, int pageIndex, float scale, int[] size) throws IOException {
            Document.TextLayer layer = TextLayerStripper.strip(pdf, pageIndex, scale);
            return new TextLayer(layer.text(), layer.lines(), size);
        }

        /** Whether the text layer carries the page's text rather than a stray page number or garbage. */
        public boolean usable() {
            long letters = text.codePoints().filter(Character::isLetterOrDigit).count();
            long garbage = text.codePoints().filter(c -> c == 0xFFFD || (Character.isISOControl(c) && !Character.isWhitespace(c))).count();
            return letters >= 10 && garbage * 10 < letters;
        }
    }
}
