package io.wabot.example.sales;

import java.util.List;

/**
 * Splits a list into pages that fit a WhatsApp list (10 rows): a page that is not the last shows nine
 * entries and a "More…" row; the last page shows up to ten.
 *
 * @param entries the entries of this page
 * @param page    1-based, clamped to the pages there are
 * @param pages   how many pages there are
 */
record Pagination<T>(List<T> entries, int page, int pages) {

  static final int ROWS = 10;
  static final int PER_PAGE_WITH_MORE = ROWS - 1;

  static <T> Pagination<T> of(List<T> all, int requestedPage) {
    int pages = all.size() <= ROWS ? 1 : 1 + (int) Math.ceil((all.size() - ROWS) / (double) PER_PAGE_WITH_MORE);
    int page = Math.max(1, Math.min(requestedPage, pages));
    int from = (page - 1) * PER_PAGE_WITH_MORE;
    int to = page == pages ? all.size() : from + PER_PAGE_WITH_MORE;
    return new Pagination<>(all.subList(from, to), page, pages);
  }

  boolean hasMore() {
    return page < pages;
  }

  /** 1-based position of this page's first entry in the whole list. */
  int firstNumber() {
    return (page - 1) * PER_PAGE_WITH_MORE + 1;
  }
}
