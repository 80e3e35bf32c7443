package io.wabot.conversation.i18n;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Folds what a customer typed into a comparable form: lower case, accents removed, punctuation and
 * emoji turned into spaces, whitespace collapsed. {@code "¡Menú!"} and {@code "menu"} fold alike.
 */
public final class TextFold {

  private static final Pattern MARKS = Pattern.compile("\\p{M}+");
  private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

  private TextFold() {
  }

  public static String fold(String text) {
    if (text == null) {
      return "";
    }
    String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD);
    String plain = MARKS.matcher(decomposed).replaceAll("").toLowerCase(Locale.ROOT);
    return NOT_WORD.matcher(plain).replaceAll(" ").trim();
  }
}
