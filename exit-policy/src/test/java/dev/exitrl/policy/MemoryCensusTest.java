package dev.exitrl.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class MemoryCensusTest {

    @Test
    void countsEachManagersOwnArraysAndBytes() {
        try (NDManager root = NDManager.newBaseManager(Device.cpu())) {
            root.setName("census-root");
            root.zeros(new Shape(10, 10), DataType.FLOAT32); // 400 bytes
            NDManager child = root.newSubManager();
            child.setName("child");
            child.zeros(new Shape(8), DataType.INT64); // 64 bytes
            child.zeros(new Shape(4), DataType.FLOAT16); // 8 bytes
            NDManager grandchild = child.newSubManager();
            grandchild.setName("grandchild");

            MemoryCensus census = MemoryCensus.of(root);

            assertThat(census.managers())
                    .extracting(MemoryCensus.Entry::path, MemoryCensus.Entry::arrays, MemoryCensus.Entry::bytes)
                    .containsExactly(
                            tuple("census-root", 1, 400L),
                            tuple("census-root/child", 2, 72L),
                            tuple("census-root/child/grandchild", 0, 0L));
            assertThat(census.arrays()).isEqualTo(root.getManagedArrays().size());
            assertThat(census.bytes(Device.cpu())).isEqualTo(472L);
            assertThat(census.table()).contains("census-root/child").doesNotContain("grandchild");

            child.close();
            assertThat(MemoryCensus.of(root).arrays()).isEqualTo(1);
            assertThat(MemoryCensus.of(root).bytes()).isEqualTo(400L);
        }
    }

    @Test
    void engineCensusSeesArraysOfEveryManager() {
        int before = MemoryCensus.engine().arrays();
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            m.ones(new Shape(3));
            m.ones(new Shape(3));
            assertThat(MemoryCensus.engine().arrays()).isEqualTo(before + 2);
        }
        assertThat(MemoryCensus.engine().arrays()).isEqualTo(before);
    }
}
