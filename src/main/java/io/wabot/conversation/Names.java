package io.wabot.conversation;

import java.util.regex.Pattern;

/** What to call a customer, from their WhatsApp profile name. */
public final class Names {

  private static final int MAX = 25;
  private static final Pattern SPACES = Pattern.compile("\\s+");
  private static final Pattern NOT_NAME = Pattern.compile("[^\\p{L}\\p{M}'’-]");

  private Names() {
  }

  /** The first word that looks like a name ("Ana María López" → "Ana"), or null (emoji, dots, digits only). */
  public static String first(String profileName) {
    if (profileName == null) {
      return null;
    }
    for (String word : SPACES.split(profileName.strip())) {
      if (word.codePoints().anyMatch(Character::isLetter)) {
        String clean = NOT_NAME.matcher(word).replaceAll("");
        if (!clean.isEmpty()) {
          return clean.length() > MAX ? clean.substring(0, MAX) : clean;
        }
      }
    }
    return null;
  }
}
