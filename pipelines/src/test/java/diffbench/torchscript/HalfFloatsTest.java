package diffbench.torchscript;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HalfFloatsTest {
    @Test
    void float16RoundsToNearestEvenAndSaturates() {
        assertEquals((short) 0x3c00, HalfFloats.toFloat16(1f));
        assertEquals((short) 0xc000, HalfFloats.toFloat16(-2f));
        assertEquals((short) 0x7bff, HalfFloats.toFloat16(65504f));
        assertEquals((short) 0x7c00, HalfFloats.toFloat16(70000f), "overflow to +inf");
        assertEquals((short) 0x0001, HalfFloats.toFloat16(5.9604645e-8f), "smallest subnormal");
        // 1 + 2^-11 is halfway between 1 and the next half (1 + 2^-10): ties to even (1)
        assertEquals((short) 0x3c00, HalfFloats.toFloat16(1f + (float) Math.pow(2, -11)));
        assertEquals((short) 0x3c02, HalfFloats.toFloat16(1f + 3 * (float) Math.pow(2, -11)));
        for (float v : new float[] {0.1f, -3.75f, 1e-5f, 1234.5f}) {
            float back = HalfFloats.fromFloat16(HalfFloats.toFloat16(v));
            assertEquals(v, back, Math.abs(v) * 1e-3 + 1e-7, "round trip of " + v);
        }
    }

    @Test
    void bfloat16KeepsTheExponentAndRounds() {
        assertEquals((short) 0x3f80, HalfFloats.toBFloat16(1f));
        assertEquals(3.140625f, HalfFloats.fromBFloat16(HalfFloats.toBFloat16(3.14159f)));
        assertEquals(1e30f, HalfFloats.fromBFloat16(HalfFloats.toBFloat16(1e30f)), 1e28f);
    }
}
