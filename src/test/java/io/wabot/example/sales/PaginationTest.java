package io.wabot.example.sales;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PaginationTest {

  static List<Integer> items(int n) {
    return IntStream.rangeClosed(1, n).boxed().toList();
  }

  @Test
  @DisplayName("up to ten entries fit one page; beyond, nine per page plus More, and the last page takes up to ten")
  void pages() {
    assertThat(Pagination.of(items(10), 1).entries()).hasSize(10);
    assertThat(Pagination.of(items(10), 1).hasMore()).isFalse();
    Pagination<Integer> first = Pagination.of(items(12), 1);
    assertThat(first.entries()).hasSize(9);
    assertThat(first.hasMore()).isTrue();
    assertThat(Pagination.of(items(12), 2).entries()).containsExactly(10, 11, 12);
    assertThat(Pagination.of(items(19), 2).entries()).hasSize(10);
    assertThat(Pagination.of(items(20), 2).hasMore()).isTrue();
    assertThat(Pagination.of(items(20), 3).entries()).containsExactly(19, 20);
    assertThat(Pagination.of(items(12), 9).page()).isEqualTo(2);
  }
}
