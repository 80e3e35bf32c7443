package io.wabot.conversation;

/** What to call a customer, from their WhatsApp profile name. */
public final class Names {

  private static final int MAX = 25;

  private Names() {
  }

  /** The first word that looks like a name ("Ana María López" → "Ana"), or null (emoji, dots, digits only). */
  public static String first(String profileName) {
    if (profileName == null) {
      return null;
    }
    for (String word : profileName.strip().split("\\s+")) {
      if (word.codePoints().anyMatch(Character::isLetter)) {
        String clean = word.replaceAll("[^\\p{L}\\p{M}'’-]", "");
        if (!clean.isEmpty()) {
          return clean.length() > MAX ? clean.substring(0, MAX) : clean;
        }
      }
    }
    return null;
  }
}
