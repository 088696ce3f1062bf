package dev.fvec.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The rental rule's trigger: a warm-up starts once the work reaches the threshold, again after twice as much when it fails. */
class WarmUpTriggerTest {

    @Test
    void startsAtTheThresholdOnceAndAfterAFailureAtTwiceTheWork() throws InterruptedException {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(2);
        WarmUpTrigger trigger = new WarmUpTrigger(100, "test-warm-up", () -> {
            int r = runs.incrementAndGet();
            first.countDown();
            second.countDown();
            return r >= 2; // the first attempt runs out of budget
        });
        trigger.twinWorked(60);
        trigger.twinWorked(39);
        Thread.sleep(100);
        assertEquals(0, runs.get(), "below the threshold");
        trigger.twinWorked(1);
        assertTrue(first.await(10, TimeUnit.SECONDS), "started at the threshold");
        for (long end = System.nanoTime() + 10_000_000_000L; trigger.started() && System.nanoTime() < end; ) {
            Thread.sleep(10); // until the failed attempt has reset the trigger
        }
        trigger.twinWorked(99); // 199 in all: below twice the 100 seen
        Thread.sleep(100);
        assertEquals(1, runs.get(), "again only after twice the work");
        trigger.twinWorked(1);
        assertTrue(second.await(10, TimeUnit.SECONDS), "again at twice the work");
        Thread.sleep(100);
        trigger.twinWorked(1_000_000);
        Thread.sleep(100);
        assertEquals(2, runs.get(), "not after a warm-up that succeeded");
    }
}
