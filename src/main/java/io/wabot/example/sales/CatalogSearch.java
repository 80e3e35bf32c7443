package io.wabot.example.sales;

import io.wabot.conversation.i18n.TextFold;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds items by what a customer typed, the way a shop assistant would understand it: accents and case
 * do not matter ("Audífonos" = "audifonos"), plurals match singulars in English and Spanish
 * ("headphones", "cargadores", "baterías"), small typos are forgiven ("hedphones"), filler words are
 * ignored ("do you have", "tienen", "busco"), and a SKU matches exactly however it is typed
 * ("aud-001", "AUD001").
 *
 * <p>Each query word scores against each item's words (name and keywords weigh most, then the
 * category, then the description); items are ranked by total score, in-stock first on ties, and
 * results far below the best are dropped.
 */
public final class CatalogSearch {

  private static final Set<String> FILLER = Set.copyOf(List.of(
      // English
      "a", "an", "the", "do", "does", "you", "have", "has", "any", "some", "i", "im", "want", "need", "looking", "look",
      "for", "to", "buy", "of", "with", "and", "or", "in", "is", "are", "there", "please", "me", "my", "show", "find",
      "get", "can", "could", "would", "like", "what", "which", "your", "how", "much", "price", "cost", "available",
      "stock", "sell", "got", "one", "hi", "hello", "hey",
      // Spanish
      "un", "una", "unos", "unas", "el", "la", "los", "las", "lo", "de", "del", "y", "o", "en", "con", "para", "por",
      "que", "quiero", "busco", "buscando", "necesito", "tienen", "tienes", "tiene", "tengan", "hay", "me", "mi", "algun",
      "alguna", "alguno", "venden", "vendes", "precio", "cuanto", "cuesta", "cuestan", "disponible", "favor", "hola",
      "buenas", "buenos", "quisiera", "ver", "muestrame", "es", "son", "al", "se"));

  private static final double NAME = 3.5;
  private static final double KEYWORD = 3;
  private static final double CATEGORY = 2;
  private static final double DESCRIPTION = 1;
  private static final double KEEP_RATIO = 0.5;

  private record Indexed(InventoryItem item, Map<String, Double> words, String sku) {
  }

  private final List<Indexed> index = new ArrayList<>();
  /** Every word of the index with its singular forms, computed once: a search compares each query term
   * with each distinct word once, not once per item that holds it. */
  private final Map<String, Forms> vocabulary = new HashMap<>();

  /** A word's forms (see {@link #forms}), as text and as characters for the typo check. */
  private record Forms(String[] text, char[][] chars) {
    static Forms of(String word) {
      String[] text = forms(word).toArray(String[]::new);
      char[][] chars = new char[text.length][];
      for (int i = 0; i < text.length; i++) {
        chars[i] = text[i].toCharArray();
      }
      return new Forms(text, chars);
    }
  }

  public CatalogSearch(List<InventoryItem> items, Map<String, Category> categories) {
    for (InventoryItem item : items) {
      Map<String, Double> words = new HashMap<>();
      item.name().all().forEach(t -> add(words, t, NAME));
      item.keywords().forEach(t -> add(words, t, KEYWORD));
      Category category = categories.get(item.category());
      if (category != null) {
        category.name().all().forEach(t -> add(words, t, CATEGORY));
      }
      item.description().all().forEach(t -> add(words, t, DESCRIPTION));
      index.add(new Indexed(item, words, compactSku(item.sku())));
      words.keySet().forEach(word -> vocabulary.computeIfAbsent(word, Forms::of));
    }
  }

  private static void add(Map<String, Double> words, String text, double weight) {
    for (String word : TextFold.fold(text).split(" ")) {
      if (word.length() >= 2 && !FILLER.contains(word)) {
        words.merge(word, weight, Math::max);
      }
    }
  }

  private static String compactSku(String sku) {
    return TextFold.fold(sku).replace(" ", "");
  }

  /** Longest query considered: a search is a few words, and scoring runs on the event loop. */
  static final int MAX_QUERY_CHARS = 200;
  /** Most words of a query scored against the catalog. */
  static final int MAX_TERMS = 10;

  public List<InventoryItem> search(String query, int limit) {
    String bounded = query.length() > MAX_QUERY_CHARS ? query.substring(0, MAX_QUERY_CHARS) : query;
    String folded = TextFold.fold(bounded);
    String compact = folded.replace(" ", "");
    for (Indexed entry : index) {
      if (!compact.isEmpty() && entry.sku().equals(compact)) {
        return List.of(entry.item());
      }
    }
    List<String> terms = new ArrayList<>();
    for (String word : folded.split(" ")) {
      if (word.length() >= 2 && !FILLER.contains(word) && terms.size() < MAX_TERMS) {
        terms.add(word);
      }
    }
    if (terms.isEmpty()) {
      return List.of();
    }
    List<Map<String, Double>> matches = new ArrayList<>();
    for (String term : terms) {
      matches.add(matches(term));
    }
    // By identity: an Indexed is a record, and its hash would walk the item and all its words for every put.
    Map<Indexed, Double> scores = new IdentityHashMap<>();
    for (Indexed entry : index) {
      double total = 0;
      for (Map<String, Double> match : matches) {
        total += best(match, entry.words());
      }
      if (total > 0) {
        scores.put(entry, total);
      }
    }
    double top = scores.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    return scores.entrySet().stream()
        .filter(e -> e.getValue() >= top * KEEP_RATIO)
        .sorted(Comparator.comparing((Map.Entry<Indexed, Double> e) -> -e.getValue())
            .thenComparing(e -> !e.getKey().item().inStock())
            .thenComparing(e -> e.getKey().item().sku()))
        .limit(limit)
        .map(e -> e.getKey().item())
        .toList();
  }

  /** The words of the vocabulary a term matches, with how well. */
  private Map<String, Double> matches(String term) {
    Forms termForms = Forms.of(term);
    Map<String, Double> matches = new HashMap<>();
    vocabulary.forEach((word, wordForms) -> {
      double match = similarity(term, termForms, word, wordForms);
      if (match > 0) {
        matches.put(word, match);
      }
    });
    return matches;
  }

  private static double best(Map<String, Double> matches, Map<String, Double> words) {
    double best = 0;
    for (Map.Entry<String, Double> match : matches.entrySet()) {
      Double weight = words.get(match.getKey());
      if (weight != null) {
        best = Math.max(best, match.getValue() * weight);
      }
    }
    return best;
  }

  /**
   * 1 for the same word, 0.9 for singular/plural, 0.7 for a prefix, 0.6 for a typo away, else 0. The forms are
   * arrays walked by index: this runs for every term and word of the catalog on each search, and an iterator per
   * loop was a fair part of what a search allocated.
   */
  private static double similarity(String term, Forms termForms, String word, Forms wordForms) {
    if (term.equals(word)) {
      return 1;
    }
    for (String form : termForms.text()) {
      for (String other : wordForms.text()) {
        if (form.equals(other)) {
          return 0.9;
        }
      }
    }
    if (term.length() >= 4 && word.startsWith(term)) {
      return 0.7;
    }
    int allowed = term.length() >= 8 ? 2 : term.length() >= 4 ? 1 : 0;
    if (allowed > 0 && Math.abs(term.length() - word.length()) <= allowed) {
      for (char[] form : termForms.chars()) {
        for (char[] other : wordForms.chars()) {
          if (within(form, other, allowed)) {
            return 0.6;
          }
        }
      }
    }
    return 0;
  }

  /** The word and its likely singulars: {@code headphones → headphone, headphon}; {@code luces → luz}. */
  static Set<String> forms(String word) {
    Set<String> forms = new LinkedHashSet<>();
    forms.add(word);
    if (word.length() > 3 && word.endsWith("s") && !word.endsWith("ss")) {
      forms.add(word.substring(0, word.length() - 1));
      if (word.endsWith("es")) {
        forms.add(word.substring(0, word.length() - 2));
      }
      if (word.endsWith("ies")) {
        forms.add(word.substring(0, word.length() - 3) + "y");
      }
      if (word.endsWith("ces")) {
        forms.add(word.substring(0, word.length() - 3) + "z");
      }
    }
    return forms;
  }

  /**
   * Whether {@link #distance} is at most {@code max}, without computing more of it than needed: every term is
   * compared with every word of the catalog on each search, and nearly all pairs are far apart, which their
   * lengths or the first rows of the table already show.
   */
  static boolean within(String a, String b, int max) {
    return within(a.toCharArray(), b.toCharArray(), max);
  }

  private static boolean within(char[] a, char[] b, int max) {
    return Math.abs(a.length - b.length) <= max && boundedDistance(a, b, max) <= max;
  }

  /** Optimal string alignment distance (Levenshtein plus swapped neighbours), so "haedphones" is one typo. */
  static int distance(String a, String b) {
    return boundedDistance(a.toCharArray(), b.toCharArray(), Integer.MAX_VALUE);
  }

  /**
   * The distance, or some value over {@code max} as soon as the table shows it must end over it. Three rows of the
   * table are kept (a swap reaches back two), not all of it: every search compares each term with every word of the
   * catalog, and a whole table per pair was most of what a search allocated. On arrays, not Strings: a String's
   * charAt checks its bounds and its coder on every call, which was most of the time of this loop.
   */
  private static int boundedDistance(char[] a, char[] b, int max) {
    int columns = b.length + 1;
    int[][] rows = ROWS.get();
    if (rows[0].length < columns) {
      rows = new int[][] {new int[columns], new int[columns], new int[columns]};
      ROWS.set(rows);
    }
    int[] twoBack = rows[0];
    int[] previous = rows[1];
    int[] current = rows[2];
    for (int j = 0; j < columns; j++) {
      previous[j] = j;
    }
    int previousRowMin = 0;
    for (int i = 1; i <= a.length; i++) {
      current[0] = i;
      int rowMin = i;
      for (int j = 1; j < columns; j++) {
        int cost = a[i - 1] == b[j - 1] ? 0 : 1;
        int value = Math.min(Math.min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
          value = Math.min(value, twoBack[j - 2] + 1);
        }
        current[j] = value;
        rowMin = Math.min(rowMin, value);
      }
      // A row's values never fall in the rows below, save by a swap, which reaches back one row more: two rows
      // both over the bound can no longer end within it.
      if (rowMin > max && previousRowMin > max) {
        return rowMin;
      }
      previousRowMin = rowMin;
      int[] spare = twoBack;
      twoBack = previous;
      previous = current;
      current = spare;
    }
    return previous[b.length];
  }

  /**
   * The three rows, per thread and reused (every value read is written first in the same call): a search on the
   * event loop compares each term with every word of the catalog.
   */
  private static final ThreadLocal<int[][]> ROWS = ThreadLocal.withInitial(() -> new int[][] {new int[32], new int[32],
      new int[32]});

  /** Every distinct word the index knows, for tests and diagnostics. */
  Set<String> vocabulary() {
    Set<String> all = new HashSet<>();
    index.forEach(e -> all.addAll(e.words().keySet()));
    return all;
  }
}
