package dev.exitrl.policy.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {

    @Test
    void roundTripsF32AndConvertsF16AndBf16(@TempDir Path dir) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            tensors.put("a", m.create(new float[] {1.5f, -2f, 3.25f, 0f, 7f, -0.125f}, new Shape(2, 3)));
            tensors.put("b.bias", m.create(new float[] {42f}, new Shape(1)));
            Path f32 = dir.resolve("f32.safetensors");
            Safetensors.write(f32, tensors, Map.of("format", "pt"));
            Map<String, NDArray> back = Safetensors.read(f32, m);
            assertThat(back.keySet()).containsExactly("a", "b.bias");
            assertThat(back.get("a").getShape()).isEqualTo(new Shape(2, 3));
            assertThat(back.get("a").toFloatArray()).containsExactly(1.5f, -2f, 3.25f, 0f, 7f, -0.125f);

            // Half precision written by hand: 1.5 = 0x3E00 (F16) = 0x3FC0 (BF16); -2 = 0xC000 (both: F16) / 0xC000
            // (BF16).
            Path half = dir.resolve("half.safetensors");
            String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]},"
                    + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[6,10]}}";
            byte[] json = header.getBytes(StandardCharsets.UTF_8);
            ByteBuffer buf = ByteBuffer.allocate(8 + json.length + 10).order(ByteOrder.LITTLE_ENDIAN);
            buf.putLong(json.length).put(json);
            buf.putShort((short) 0x3E00)
                    .putShort((short) 0xC000)
                    .putShort((short) 0x0001); // 1.5, -2, smallest subnormal
            buf.putShort((short) 0x3FC0).putShort((short) 0xC000); // 1.5, -2
            try (OutputStream out = Files.newOutputStream(half)) {
                out.write(buf.array());
            }
            Map<String, NDArray> h = Safetensors.read(half, m);
            assertThat(h.get("h").toFloatArray()).containsExactly(1.5f, -2f, (float) Math.pow(2, -24));
            assertThat(h.get("b").toFloatArray()).containsExactly(1.5f, -2f);
        }
    }
}
