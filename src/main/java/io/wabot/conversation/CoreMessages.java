package io.wabot.conversation;

import java.util.Set;

/** The message keys the engine itself uses (flows declare theirs in {@link Flow#messageKeys()}). */
final class CoreMessages {

  static final Set<String> KEYS = Set.of(
      "language.name", "language.prompt", "language.button", "language.changed",
      "greeting.short", "greeting.short.named", "menu.button.person", "menu.button.menu",
      "help.body", "hint.person", "thanks.reply",
      "escalation.ack", "handback.notice", "handback.by_customer", "consent.stopped", "consent.started",
      "fallback.not_understood", "fallback.offer_person", "fallback.lost_state", "fallback.stale_option",
      "fallback.handoff_timeout", "fallback.media.image", "fallback.media.audio", "fallback.media.video",
      "fallback.media.sticker", "fallback.media.document", "fallback.media.failed", "fallback.location", "fallback.contacts",
      "fallback.unsupported", "error.generic", "flows.refused", "flows.refused.expired", "flows.refused.used",
      "agent.requested", "agent.item", "agent.message", "agent.ended", "agent.reply.phone", "agent.reply.hidden",
      "agent.contact.hidden", "agent.contact.hidden.named", "agent.button.answer", "agent.button.handback",
      "agent.answering", "agent.not_waiting", "agent.no_customer", "agent.text_only", "agent.window_closed",
      "agent.window_closed.template", "agent.held",
      "keywords.stop", "keywords.start", "keywords.menu", "keywords.help", "keywords.agent", "keywords.agent_words",
      "keywords.language", "keywords.greeting", "keywords.thanks");

  private CoreMessages() {
  }
}
