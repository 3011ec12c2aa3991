package dev.exitrl.policy.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header naming each
 * tensor's dtype, shape and byte range, then the raw little-endian data. F32, F16 and BF16 are read (and
 * converted to F32, because DJL 0.36 aborts on BF16 arrays); F32 is written.
 */
public final class Safetensors {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private Safetensors() {}

    /** One tensor's entry in the header. */
    record Entry(String dtype, long[] shape, long begin, long end) {}

    /** Loads every tensor of a file as FLOAT32 arrays on the manager's device, in file order. */
    public static Map<String, NDArray> read(Path file, NDManager manager) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, len, 0);
            long headerLen = len.flip().getLong();
            if (headerLen <= 0 || headerLen > 100_000_000L || headerLen + 8 > ch.size()) {
                throw new IOException(file + ": not a safetensors file (header length " + headerLen + ")");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLen);
            readFully(ch, header, 8);
            JsonNode root = JSON.readTree(new String(header.array(), StandardCharsets.UTF_8));
            long dataStart = 8 + headerLen;
            Map<String, NDArray> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : root.properties()) {
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                Entry entry = entry(e.getKey(), e.getValue());
                long bytes = entry.end() - entry.begin();
                ByteBuffer raw = ch.map(FileChannel.MapMode.READ_ONLY, dataStart + entry.begin(), bytes)
                        .order(ByteOrder.LITTLE_ENDIAN);
                out.put(e.getKey(), toArray(e.getKey(), entry, raw, manager));
            }
            return out;
        }
    }

    private static Entry entry(String name, JsonNode n) throws IOException {
        JsonNode shape = n.get("shape");
        JsonNode offsets = n.get("data_offsets");
        if (shape == null || offsets == null || !n.has("dtype")) {
            throw new IOException("safetensors header entry '" + name + "' lacks dtype, shape or data_offsets");
        }
        long[] dims = new long[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shape.get(i).asLong();
        }
        return new Entry(
                n.get("dtype").asString(),
                dims,
                offsets.get(0).asLong(),
                offsets.get(1).asLong());
    }

    private static NDArray toArray(String name, Entry e, ByteBuffer raw, NDManager manager) throws IOException {
        Shape shape = new Shape(e.shape());
        long count = shape.size();
        int width = switch (e.dtype()) {
            case "F32" -> 4;
            case "F16", "BF16" -> 2;
            default ->
                throw new IOException("tensor '" + name + "': dtype " + e.dtype() + " not supported (F32, F16, BF16)");
        };
        if (count * width != raw.remaining()) {
            throw new IOException(
                    "tensor '" + name + "': " + raw.remaining() + " bytes for shape " + shape + " " + e.dtype());
        }
        // Copy out of the read-only mapping: the array may be updated in place by training.
        ByteBuffer f32 = ByteBuffer.allocateDirect((int) (count * 4)).order(ByteOrder.nativeOrder());
        boolean bf16 = e.dtype().equals("BF16");
        if (width == 4) {
            f32.asFloatBuffer().put(raw.asFloatBuffer());
            return manager.create(f32, shape, DataType.FLOAT32);
        }
        for (long i = 0; i < count; i++) {
            short bits = raw.getShort();
            f32.putFloat(bf16 ? Float.intBitsToFloat((bits & 0xffff) << 16) : halfToFloat(bits));
        }
        f32.flip();
        return manager.create(f32, shape, DataType.FLOAT32);
    }

    /** IEEE 754 binary16 to binary32 (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits >>> 15) << 31;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant / 1024f * (float) Math.pow(2, -14);
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    /** Writes FLOAT32 tensors (any device) in the given order, with optional string metadata. */
    public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) {
            header.put("__metadata__", metadata);
        }
        long offset = 0;
        List<NDArray> order = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            NDArray a = e.getValue();
            if (a.getDataType() != DataType.FLOAT32) {
                throw new IOException("tensor '" + e.getKey() + "': only FLOAT32 is written, got " + a.getDataType());
            }
            long bytes = a.size() * 4;
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", "F32");
            entry.put("shape", a.getShape().getShape());
            entry.put("data_offsets", new long[] {offset, offset + bytes});
            header.put(e.getKey(), entry);
            offset += bytes;
            order.add(a);
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            ByteBuffer len =
                    ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(len.array());
            out.write(json);
            for (int i = json.length; i < padded; i++) {
                out.write(' ');
            }
            for (NDArray a : order) {
                ByteBuffer data = a.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                byte[] chunk = new byte[1 << 16];
                while (data.hasRemaining()) {
                    int n = Math.min(chunk.length, data.remaining());
                    data.get(chunk, 0, n);
                    out.write(chunk, 0, n);
                }
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
            pos += n;
        }
    }
}
