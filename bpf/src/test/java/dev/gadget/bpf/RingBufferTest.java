package dev.gadget.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The Java reader against rings the kernel writes. */
@ExtendWith(RequiresBpf.class)
class RingBufferTest {
    private static final int PAGE = 4096;

    @ParameterizedTest
    @ValueSource(ints = {16, 64, 256, 1024})
    void everyRecordArrivesWholeAndInOrder(int recordSize) {
        try (BpfObject object = TestObject.open()) {
            object.setConstant("record_size", recordSize);
            object.setMaxEntries("gadget_events", 4 << 20);
            object.load();
            object.attachTracepoints();
            RingBuffer ring = object.ringBuffer("gadget_events");
            TestObject.getppid(1000);

            List<Long> sequence = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            while (sequence.size() < 1000 && ring.poll(1000, (data, offset, length) -> {
                sequence.add(data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset));
                sizes.add(length);
            }) > 0) {
                // keep polling
            }
            assertEquals(1000, sequence.size());
            for (int i = 0; i < 1000; i++) {
                assertEquals(i, sequence.get(i));
                assertEquals(recordSize, sizes.get(i));
            }
            assertEquals(0, new PerCpuCounter(object, "gadget_lost").total());
        }
    }

    @Test
    void aSmallRingWrapsManyTimesAndEveryRecordIsDeliveredOrCounted() throws InterruptedException {
        int produced = 200_000;
        try (BpfObject object = TestObject.open()) {
            object.setConstant("record_size", 40);
            object.setMaxEntries("gadget_events", 4 * PAGE);
            object.load();
            object.attachTracepoints();
            RingBuffer ring = object.ringBuffer("gadget_events");
            PerCpuCounter lost = new PerCpuCounter(object, "gadget_lost");

            AtomicLong received = new AtomicLong();
            AtomicLong outOfOrder = new AtomicLong();
            Thread reader = Thread.ofPlatform().start(() -> {
                long[] last = {-1};
                while (received.get() + lost.total() < produced) {
                    ring.poll(1000, (data, offset, length) -> {
                        long seq = data.get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
                        if (seq <= last[0]) {
                            outOfOrder.incrementAndGet();
                        }
                        last[0] = seq;
                        received.incrementAndGet();
                    });
                }
            });
            TestObject.getppid(produced);
            reader.join(60_000);
            assertFalse(reader.isAlive(), "reader still waiting: received " + received + ", lost " + lost.total());

            assertEquals(produced, received.get() + lost.total(), "received + lost");
            assertEquals(0, outOfOrder.get());
            assertTrue(received.get() > 4 * PAGE / 48, "more than one ring's worth arrived");
        }
    }

    @Test
    void aFullRingCountsWhatItCouldNotTake() {
        try (BpfObject object = TestObject.open()) {
            object.setConstant("record_size", 64);
            object.setMaxEntries("gadget_events", PAGE);
            object.load();
            object.attachTracepoints();
            RingBuffer ring = object.ringBuffer("gadget_events");
            TestObject.getppid(1000);

            AtomicLong received = new AtomicLong();
            ring.consume((data, offset, length) -> received.incrementAndGet());
            PerCpuCounter lost = new PerCpuCounter(object, "gadget_lost");

            assertEquals(PAGE / 72, received.get(), "a page holds this many 64-byte records with headers");
            assertEquals(1000 - received.get(), lost.total());
            assertEquals(1000 - received.get(), lost.sinceLastCall());
            assertEquals(0, lost.sinceLastCall());
        }
    }

    @Test
    void withAThresholdTheFirstRecordWakesTheReaderAndTheNextOnlyOnceTheThresholdWaitsInTheRing() {
        try (BpfObject object = TestObject.open(); Epoll epoll = new Epoll()) {
            object.setConstant("record_size", 64);
            object.setConstant("gadget_wakeup_bytes", 10 * 72); // ten records with their headers
            object.setMaxEntries("gadget_events", 4 * PAGE);
            object.load();
            object.attachTracepoints();
            RingBuffer ring = object.ringBuffer("gadget_events");
            epoll.watch(object.map("gadget_events").fd(), LibC.EPOLLIN | LibC.EPOLLET);

            TestObject.getppid(1);
            assertEquals(1, epoll.await(10_000), "the first record in an empty ring must wake the reader");
            TestObject.getppid(8);
            assertEquals(0, epoll.await(200), "records behind one the reader has not read must not wake it");
            TestObject.getppid(1);
            assertEquals(1, epoll.await(10_000), "the tenth record must wake the reader: ten wait");
            assertEquals(10, ring.consume((data, offset, length) -> { }));
        }
    }

    @Test
    void aReaderPausesUntilAWakeUpNotWhileRecordsWait() throws InterruptedException {
        try (BpfObject object = TestObject.open()) {
            object.setConstant("gadget_wakeup_bytes", 1 << 20); // never reached: only first records wake
            object.load();
            object.attachTracepoints();
            RingBuffer ring = object.ringBuffer("gadget_events");

            TestObject.getppid(1);
            assertTrue(ring.await(10_000), "the first record must wake the reader");
            TestObject.getppid(3);
            assertFalse(ring.await(200), "waiting records are no wake-up: a paused reader stays paused");
            assertEquals(4, ring.consume((data, offset, length) -> { }));
            TestObject.getppid(1);
            assertTrue(ring.await(10_000), "once the reader caught up, the next record must wake it");
            Thread waker = Thread.ofPlatform().start(() -> {
                sleepQuietly(200);
                ring.wakeup();
            });
            assertTrue(ring.await(600_000), "wakeup() must end a wait");
            waker.join();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void byDefaultTheFirstRecordWakesTheReader() {
        try (BpfObject object = TestObject.open(); Epoll epoll = new Epoll()) {
            object.load();
            object.attachTracepoints();
            epoll.watch(object.map("gadget_events").fd());

            TestObject.getppid(1);
            assertEquals(1, epoll.await(10_000));
        }
    }

    /** An epoll of the test's own on a ring's fd, to see the kernel's wake-ups without reading the ring. */
    private static final class Epoll implements AutoCloseable {
        private final int fd = LibC.epoll_create1(LibC.EPOLL_CLOEXEC);
        private final Memory events = new Memory(12);

        void watch(int ringFd) {
            watch(ringFd, LibC.EPOLLIN);
        }

        void watch(int ringFd, int eventMask) {
            try (Memory event = new Memory(12)) {
                event.clear();
                event.setInt(0, eventMask);
                assertEquals(0, LibC.epoll_ctl(fd, LibC.EPOLL_CTL_ADD, ringFd, event));
            }
        }

        int await(int timeoutMillis) {
            return LibC.epoll_wait(fd, events, 1, timeoutMillis);
        }

        @Override
        public void close() {
            LibC.close(fd);
            events.close();
        }
    }

    @Test
    void closeEndsAWaitingPoll() throws InterruptedException {
        BpfObject object = TestObject.open();
        object.load();
        RingBuffer ring = object.ringBuffer("gadget_events");
        Thread reader = Thread.ofPlatform().start(() -> ring.poll(600_000, (data, offset, length) -> { }));
        Thread.sleep(200); // let it block in epoll_wait; closing earlier is fine too
        object.close();
        reader.join(60_000);
        assertFalse(reader.isAlive(), "poll did not return after close");
        assertEquals(0, ring.poll(0, (data, offset, length) -> { }));
    }
}
