package com.example.echo;

import io.vertx.core.Future;
import io.wabot.bot.BotServices;
import io.wabot.bot.HandoffChannel;
import io.wabot.testing.WaitableList;

/**
 * The echo bot's own hand-off channel: a helpdesk kept in memory. Its first delivery fails, as a helpdesk
 * that is briefly down would, so the test sees the notify queue try again with the same delivery id.
 */
final class InMemoryHelpdesk implements HandoffChannel {

  final WaitableList<Delivery> tried = new WaitableList<>();
  final WaitableList<Delivery> accepted = new WaitableList<>();

  @Override
  public Future<Void> deliver(Delivery delivery, BotServices services) {
    tried.add(delivery);
    if (tried.size() == 1) {
      return Future.failedFuture("helpdesk briefly unavailable");
    }
    accepted.add(delivery);
    return Future.succeededFuture();
  }
}
