package com.example.echo;

import io.vertx.core.Future;
import io.wabot.conversation.Flow;
import io.wabot.conversation.Turn;
import io.wabot.conversation.i18n.Texts;
import java.util.Set;

/** Says back what the customer wrote, cut to the configured length. */
final class EchoFlow implements Flow {

  private final int maxLength;

  EchoFlow(int maxLength) {
    this.maxLength = maxLength;
  }

  @Override
  public String name() {
    return "echo";
  }

  @Override
  public Future<Void> start(Turn turn, String intro) {
    if (intro != null) {
      turn.send(turn.ui().text(intro)); // what the engine puts first: an apology, "you're subscribed again"
    }
    turn.goTo("echoing").say("echo.hello");
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> handle(Turn turn) {
    String text = turn.text() == null ? "" : turn.text();
    turn.goTo("echoing").say("echo.reply", Texts.params("text", text.length() > maxLength ? text.substring(0, maxLength) : text));
    return Future.succeededFuture();
  }

  @Override
  public Set<String> messageKeys() {
    return Set.of("echo.hello", "echo.reply");
  }
}
