package io.wabot.conversation;

/**
 * What a customer asked for anywhere in a conversation, recognised in every loaded locale.
 *
 * @param kind    what was asked
 * @param locale  for {@link Kind#SET_LANGUAGE}: the locale picked; otherwise null
 * @param command for {@link Kind#COMMAND}: the global command; otherwise null
 */
public record Intent(Kind kind, String locale, Command command) {

  /** STOP and START are consent words, always honoured; every other global command is the bot's {@link Command}. */
  public enum Kind {
    STOP, START, SET_LANGUAGE, COMMAND
  }

  public static Intent of(Kind kind) {
    return new Intent(kind, null, null);
  }

  public static Intent of(Command command) {
    return new Intent(Kind.COMMAND, null, command);
  }

  public static Intent language(String locale) {
    return new Intent(Kind.SET_LANGUAGE, locale, null);
  }

  public boolean is(Kind other) {
    return kind == other;
  }

  public boolean is(Command other) {
    return command == other;
  }
}
