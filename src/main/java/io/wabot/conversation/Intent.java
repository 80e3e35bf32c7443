package io.wabot.conversation;

/**
 * A command a customer can give anywhere in a conversation, recognised in every loaded locale.
 *
 * @param kind   what was asked
 * @param locale for {@link Kind#SET_LANGUAGE}: the locale picked; otherwise null
 */
public record Intent(Kind kind, String locale) {

  /** The commands, each with the {@code keywords.*} list that holds its words. */
  public enum Kind {
    STOP("stop"), START("start"), MENU("menu"), HELP("help"), AGENT("agent"), LANGUAGE("language"),
    SET_LANGUAGE(null), GREETING("greeting"), THANKS("thanks");

    private final String keywords;

    Kind(String keywords) {
      this.keywords = keywords;
    }

    /** The {@code keywords.<name>} list, or null for a kind recognised otherwise. */
    public String keywords() {
      return keywords;
    }
  }

  public static Intent of(Kind kind) {
    return new Intent(kind, null);
  }

  public boolean is(Kind other) {
    return kind == other;
  }
}
