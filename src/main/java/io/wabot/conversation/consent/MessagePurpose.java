package io.wabot.conversation.consent;

/** Why the bot sends a message, for consent policies that treat them differently. */
public enum MessagePurpose {
  /** An answer to something the customer just wrote. */
  REPLY,
  /** The confirmation of a STOP or START: always allowed, the customer asked for it. */
  CONSENT,
  /** A service notice the customer did not just ask for (the bot is back after a hand-off). */
  NOTICE,
  /** Promotional content; the sample bot sends none, campaigns an adopter adds should say so. */
  MARKETING
}
