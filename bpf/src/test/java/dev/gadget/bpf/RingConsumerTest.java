package dev.gadget.bpf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The record protocol on synthetic memory laid out as the kernel lays out a ring buffer. */
class RingConsumerTest {
    private static final long SIZE = 256;

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment consumerPage = arena.allocate(4096, 8);
    private final MemorySegment producerPage = arena.allocate(4096, 8);
    private final MemorySegment data = arena.allocate(2 * SIZE, 8);
    private final RingConsumer consumer = new RingConsumer("test", consumerPage, producerPage, data, SIZE);
    private final List<String> received = new ArrayList<>();
    private final RecordHandler collect = (segment, offset, length) -> received.add(
            new String(segment.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8));
    private long producer;

    @AfterEach
    void free() {
        arena.close();
    }

    @Test
    void deliversCommittedRecordsInOrderAndAdvancesByAlignedSize() {
        write("a", 0);
        write("hello, ring", 0);

        assertEquals(2, consumer.drain(collect, 100));
        assertEquals(List.of("a", "hello, ring"), received);
        assertEquals(16 + 24, consumerPosition());
    }

    @Test
    void advancesEveryRecordToTheNextEightByteBoundaryAcrossWraps() {
        long expected = 0;
        for (int length = 0; length <= 40; length++) {
            write("x".repeat(length), 0);
            assertEquals(1, consumer.drain(collect, 100));
            expected += (8 + length + 7) & ~7;
            assertEquals(expected, consumerPosition(), "after a record of " + length + " bytes");
            assertEquals("x".repeat(length), received.getLast());
        }
        assertTrue(expected > 2 * SIZE, "the test must wrap the ring");
    }

    @Test
    void givesSpaceBackInSmallBatchesWhileDrainingAndAllOfItAtTheEnd() {
        for (int i = 0; i < 8; i++) {
            write("", 0); // 8 bytes each: two records to a batch of 16
        }
        List<Long> unpublished = new ArrayList<>();
        long[] at = {0};
        consumer.drain((segment, offset, length) -> {
            unpublished.add(at[0] - consumerPosition());
            at[0] += 8;
        }, 100);

        assertEquals(16, RingConsumer.publishEvery(SIZE));
        assertEquals(List.of(0L, 8L, 0L, 8L, 0L, 8L, 0L, 8L), unpublished);
        assertEquals(64, consumerPosition());
    }

    @Test
    void stopsAtABusyRecordAndResumesOnceItIsCommitted() {
        write("first", 0);
        long busyAt = write("second", RingConsumer.BUSY);
        write("third", 0);

        assertEquals(1, consumer.drain(collect, 100));
        assertEquals(List.of("first"), received);
        assertEquals(busyAt, consumerPosition());

        data.set(ValueLayout.JAVA_INT, busyAt & (SIZE - 1), "second".length());
        assertEquals(2, consumer.drain(collect, 100));
        assertEquals(List.of("first", "second", "third"), received);
    }

    @Test
    void skipsDiscardedRecordsButConsumesTheirSpace() {
        write("kept", 0);
        write("dropped", RingConsumer.DISCARD);
        write("also kept", 0);

        assertEquals(2, consumer.drain(collect, 100));
        assertEquals(List.of("kept", "also kept"), received);
        assertEquals(producer, consumerPosition());
    }

    @Test
    void aRecordThatWrapsIsReadWholeThroughTheSecondMapping() {
        producer = SIZE - 16;
        consumerPage.set(ValueLayout.JAVA_LONG, 0, producer);
        String wrapping = "this payload crosses the end of the ring";
        write(wrapping, 0);

        assertEquals(1, consumer.drain(collect, 100));
        assertEquals(List.of(wrapping), received);
        assertTrue(consumerPosition() > SIZE);
    }

    @Test
    void rejectsALengthLargerThanTheRing() {
        long at = write("ok", 0);
        data.set(ValueLayout.JAVA_INT, at & (SIZE - 1), (int) SIZE * 4);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> consumer.drain(collect, 100));
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
        assertEquals(at, consumerPosition());
    }

    @Test
    void rejectsALengthBeyondWhatTheProducerCommitted() {
        long at = write("ok", 0);
        data.set(ValueLayout.JAVA_INT, at & (SIZE - 1), 100);

        assertThrows(IllegalStateException.class, () -> consumer.drain(collect, 100));
    }

    @Test
    void handsOutAtMostTheRequestedNumberOfRecords() {
        for (int i = 0; i < 5; i++) {
            write("r" + i, 0);
        }
        assertEquals(2, consumer.drain(collect, 2));
        assertEquals(3, consumer.drain(collect, 100));
        assertEquals(List.of("r0", "r1", "r2", "r3", "r4"), received);
    }

    @Test
    void aFailingHandlerStillReleasesItsRecord() {
        write("poison", 0);
        write("next", 0);
        RecordHandler failing = (segment, offset, length) -> {
            throw new IllegalArgumentException("bad record");
        };

        assertThrows(IllegalArgumentException.class, () -> consumer.drain(failing, 100));
        assertEquals(1, consumer.drain(collect, 100));
        assertEquals(List.of("next"), received);
    }

    @Test
    void payloadIsReadOnly() {
        write("immutable", 0);
        consumer.drain((segment, offset, length) -> assertThrows(IllegalArgumentException.class,
                () -> segment.set(ValueLayout.JAVA_BYTE, offset, (byte) 0)), 100);
    }

    @Test
    void aHandlerSeesItsRecordAndNothingBeyond() {
        write("mine", 0);
        write("next", 0);
        consumer.drain((segment, offset, length) -> {
            assertEquals(length, segment.byteSize() - offset);
            assertThrows(IndexOutOfBoundsException.class, () -> segment.get(ValueLayout.JAVA_BYTE, offset + length));
        }, 100);
    }

    @Test
    void rejectsAProducerFurtherAheadThanTheRingHolds() {
        write("ok", 0);
        producerPage.set(ValueLayout.JAVA_LONG, 0, SIZE + 8);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> consumer.drain(collect, 100));
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
        assertEquals(0, consumerPosition());
    }

    @Test
    void anEmptyRingYieldsNothing() {
        assertEquals(0, consumer.drain(collect, 100));
        assertArrayEquals(new String[0], received.toArray(new String[0]));
    }

    /** Writes a record as the kernel would (both mappings of the data) and returns its position. */
    private long write(String payload, int flags) {
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        long recordSize = (8 + bytes.length + 7) & ~7;
        if (producer + recordSize - consumerPosition() > SIZE) {
            consumer.drain((segment, offset, length) -> { }, Integer.MAX_VALUE);
        }
        long at = producer;
        byte[] header = new byte[8];
        MemorySegment.ofArray(header).set(ValueLayout.JAVA_INT_UNALIGNED, 0, bytes.length | flags);
        for (int i = 0; i < recordSize; i++) {
            byte b = i < 8 ? header[i] : i - 8 < bytes.length ? bytes[i - 8] : 0;
            long index = (at + i) & (SIZE - 1);
            data.set(ValueLayout.JAVA_BYTE, index, b);
            data.set(ValueLayout.JAVA_BYTE, index + SIZE, b);
        }
        producer += recordSize;
        producerPage.set(ValueLayout.JAVA_LONG, 0, producer);
        return at;
    }

    private long consumerPosition() {
        return consumerPage.get(ValueLayout.JAVA_LONG, 0);
    }
}
