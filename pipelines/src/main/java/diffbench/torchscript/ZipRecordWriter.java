package diffbench.torchscript;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Writes a zip of stored (uncompressed) records as torch's archive reader expects: each record's
 * data starts at a multiple of 64 bytes (torch memory-maps storages that way), the CRC and size are
 * patched into the local header after the data is streamed (so no record is buffered), timestamps
 * are fixed (deterministic bytes), and ZIP64 end records are added once offsets pass 4 GiB.
 */
final class ZipRecordWriter implements AutoCloseable {
    private static final int ALIGNMENT = 64;
    private static final int PADDING_EXTRA_ID = 0x4246; // an extra field that only pads
    private static final long MAX_32 = 0xffffffffL;
    private static final int DOS_DATE_1980_01_01 = 0x21;

    private record Entry(byte[] name, long headerOffset, byte[] extra, long size, long crc) {
    }

    private final FileChannel channel;
    private final CountingStream out;
    private final List<Entry> entries = new ArrayList<>();

    ZipRecordWriter(Path file) throws IOException {
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        out = new CountingStream(new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 20));
    }

    /** Receives a record's bytes. */
    interface RecordBody {
        void writeTo(OutputStream out) throws IOException;
    }

    void record(String name, byte[] data) throws IOException {
        record(name, o -> o.write(data));
    }

    void record(String name, RecordBody body) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        long headerOffset = out.count;
        long dataStart = headerOffset + 30 + nameBytes.length + 4;
        int pad = (int) ((ALIGNMENT - dataStart % ALIGNMENT) % ALIGNMENT);
        byte[] extra = le().putShort((short) PADDING_EXTRA_ID).putShort((short) pad).array();
        byte[] extraField = new byte[4 + pad];
        System.arraycopy(extra, 0, extraField, 0, 4);

        out.write(localHeader(nameBytes, extraField, 0, 0));
        long start = out.count;
        CRC32 crc = new CRC32();
        OutputStream checked = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                crc.update(b);
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                crc.update(b, off, len);
                out.write(b, off, len);
            }
        };
        body.writeTo(checked);
        long size = out.count - start;
        if (size >= MAX_32) {
            throw new IOException("record " + name + " is " + size + " bytes; records over 4 GiB are not supported");
        }
        out.flush();
        ByteBuffer patch = le().putInt((int) crc.getValue()).putInt((int) size).putInt((int) size).flip();
        channel.write(patch, headerOffset + 14);
        entries.add(new Entry(nameBytes, headerOffset, extraField, size, crc.getValue()));
    }

    private static byte[] localHeader(byte[] name, byte[] extra, long crc, long size) {
        ByteBuffer b = ByteBuffer.allocate(30 + name.length + extra.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x04034b50).putShort((short) 45).putShort((short) 0).putShort((short) 0)
                .putShort((short) 0).putShort((short) DOS_DATE_1980_01_01)
                .putInt((int) crc).putInt((int) size).putInt((int) size)
                .putShort((short) name.length).putShort((short) extra.length).put(name).put(extra);
        return b.array();
    }

    @Override
    public void close() throws IOException {
        try {
            long cdStart = out.count;
            for (Entry e : entries) {
                boolean far = e.headerOffset >= MAX_32;
                byte[] zip64 = far ? le8(12).putShort((short) 1).putShort((short) 8).putLong(e.headerOffset).array() : new byte[0];
                ByteBuffer b = ByteBuffer.allocate(46 + e.name.length + zip64.length).order(ByteOrder.LITTLE_ENDIAN);
                b.putInt(0x02014b50).putShort((short) 45).putShort((short) 45).putShort((short) 0).putShort((short) 0)
                        .putShort((short) 0).putShort((short) DOS_DATE_1980_01_01)
                        .putInt((int) e.crc).putInt((int) e.size).putInt((int) e.size)
                        .putShort((short) e.name.length).putShort((short) zip64.length).putShort((short) 0)
                        .putShort((short) 0).putShort((short) 0).putInt(0)
                        .putInt((int) (far ? MAX_32 : e.headerOffset)).put(e.name).put(zip64);
                out.write(b.array());
            }
            long cdSize = out.count - cdStart;
            boolean needZip64 = cdStart >= MAX_32 || entries.size() >= 0xffff;
            if (needZip64) {
                long zip64End = out.count;
                ByteBuffer z = ByteBuffer.allocate(56 + 20).order(ByteOrder.LITTLE_ENDIAN);
                z.putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0)
                        .putLong(entries.size()).putLong(entries.size()).putLong(cdSize).putLong(cdStart);
                z.putInt(0x07064b50).putInt(0).putLong(zip64End).putInt(1);
                out.write(z.array());
            }
            ByteBuffer end = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
            int count = needZip64 ? 0xffff : entries.size();
            end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) count).putShort((short) count)
                    .putInt((int) (needZip64 ? MAX_32 : cdSize)).putInt((int) (needZip64 ? MAX_32 : cdStart)).putShort((short) 0);
            out.write(end.array());
            out.flush();
        } finally {
            channel.close();
        }
    }

    private static ByteBuffer le() {
        return ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer le8(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Tracks the file offset without asking the channel (which the buffer is ahead of). */
    private static final class CountingStream extends OutputStream {
        private final OutputStream target;
        long count;

        CountingStream(OutputStream target) {
            this.target = target;
        }

        @Override
        public void write(int b) throws IOException {
            target.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            target.write(b, off, len);
            count += len;
        }

        @Override
        public void flush() throws IOException {
            target.flush();
        }
    }
}
