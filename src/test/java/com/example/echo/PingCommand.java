package com.example.echo;

import io.vertx.core.Future;
import io.wabot.conversation.Command;
import io.wabot.conversation.Turn;
import java.util.Set;

/** The echo bot's own global command: "ping" anywhere in a conversation answers that the bot is there. */
final class PingCommand implements Command {

  @Override
  public String name() {
    return "ping"; // its words are keywords.ping in the bot's message files
  }

  @Override
  public Future<Void> run(Turn turn, Conversation conversation) {
    turn.say("echo.pong");
    return Future.succeededFuture();
  }

  @Override
  public Set<String> messageKeys() {
    return Set.of("keywords.ping", "echo.pong");
  }
}
