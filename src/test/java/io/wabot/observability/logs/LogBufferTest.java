package io.wabot.observability.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LogBufferTest {

  private static byte[] event(int n, int size) {
    String text = String.format("%0" + size + "d", n);
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static List<Integer> numbers(List<byte[]> batch) {
    return batch.stream().map(b -> Integer.parseInt(new String(b, StandardCharsets.UTF_8))).toList();
  }

  @Test
  @DisplayName("when full by count, the oldest events are dropped and counted")
  void dropsOldestByCount() {
    LogBuffer buffer = new LogBuffer();
    buffer.attach(new LogBuffer.Limits(3, 1000, 10), 100, () -> { });
    for (int i = 1; i <= 5; i++) {
      buffer.offer(event(i, 4));
    }
    assertThat(numbers(buffer.take(10, 1000))).containsExactly(3, 4, 5);
    assertThat(buffer.dropped(DropReason.BUFFER_FULL)).isEqualTo(2);
  }

  @Test
  @DisplayName("when full by bytes, the oldest events are dropped until the new one fits")
  void dropsOldestByBytes() {
    LogBuffer buffer = new LogBuffer();
    buffer.attach(new LogBuffer.Limits(100, 25, 10), 100, () -> { });
    for (int i = 1; i <= 4; i++) {
      buffer.offer(event(i, 10));
    }
    assertThat(buffer.bytes()).isLessThanOrEqualTo(25);
    assertThat(numbers(buffer.take(10, 1000))).containsExactly(3, 4);
    assertThat(buffer.dropped(DropReason.BUFFER_FULL)).isEqualTo(2);
  }

  @Test
  @DisplayName("ordinary events overflowing the buffer never evict the priority lane, which ships first")
  void priorityLaneSurvivesOverflow() {
    LogBuffer buffer = new LogBuffer();
    LogBuffer.Limits limits = new LogBuffer.Limits(3, 100_000, 10);
    buffer.attach(limits, 100, () -> { });
    buffer.offer(event(1, 4), true);
    for (int i = 2; i <= 1_000; i++) {
      buffer.offer(event(i, 4));
    }
    buffer.offer(event(1_001, 4), true);
    assertThat(numbers(buffer.take(10, 1000))).containsExactly(1, 1_001, 998, 999, 1_000);
    assertThat(buffer.dropped(DropReason.BUFFER_FULL)).isEqualTo(996);

    for (int i = 0; i < limits.priorityEvents() + 5; i++) {
      buffer.offer(event(i, 4), true);
    }
    assertThat(buffer.size()).as("the priority lane is bounded too, on its own").isEqualTo(limits.priorityEvents());
  }

  @Test
  @DisplayName("a batch stops at the count or byte limit, oldest first, but always holds at least one event")
  void takesBatchesInOrder() {
    LogBuffer buffer = new LogBuffer();
    buffer.attach(new LogBuffer.Limits(100, 10_000, 100), 100, () -> { });
    for (int i = 1; i <= 10; i++) {
      buffer.offer(event(i, 10));
    }
    assertThat(numbers(buffer.take(3, 1000))).containsExactly(1, 2, 3);
    assertThat(numbers(buffer.take(100, 25))).containsExactly(4, 5);
    assertThat(numbers(buffer.take(100, 5))).containsExactly(6);
    assertThat(buffer.size()).isEqualTo(4);
  }

  @Test
  @DisplayName("the shipper is woken once when a full batch is waiting, and again after it took one")
  void signalsFullBatchOnce() {
    LogBuffer buffer = new LogBuffer();
    AtomicInteger signals = new AtomicInteger();
    buffer.attach(new LogBuffer.Limits(100, 10_000, 100), 3, signals::incrementAndGet);
    for (int i = 1; i <= 6; i++) {
      buffer.offer(event(i, 4));
    }
    assertThat(signals).hasValue(1);
    buffer.take(3, 1000);
    buffer.offer(event(7, 4));
    assertThat(signals).hasValue(2);
  }

  @Test
  @DisplayName("holds start-up events until shipping is known to be off, then forgets them and takes nothing more")
  void offWithoutShipper() {
    LogBuffer buffer = new LogBuffer();
    assertThat(buffer.accepting()).isTrue();
    buffer.offer(event(1, 4));
    assertThat(buffer.size()).isEqualTo(1);

    buffer.shippingOff();

    assertThat(buffer.accepting()).isFalse();
    buffer.offer(event(2, 4));
    assertThat(buffer.size()).isZero();
    assertThat(buffer.droppedTotal()).isZero();
  }

  @Test
  @DisplayName("after the last shipper detaches, what is left is counted as dropped at shutdown and the buffer is off")
  void detachCountsLeftovers() {
    LogBuffer buffer = new LogBuffer();
    buffer.attach(LogBuffer.Limits.DEFAULT, 100, () -> { });
    buffer.attach(LogBuffer.Limits.DEFAULT, 100, () -> { });
    buffer.offer(event(1, 4));
    buffer.detach();
    assertThat(buffer.accepting()).as("one shipper still attached").isTrue();
    buffer.offer(event(2, 4));
    buffer.detach();
    assertThat(buffer.accepting()).isFalse();
    assertThat(buffer.dropped(DropReason.SHUTDOWN)).isEqualTo(2);
  }
}
