package io.wabot.queue;

import io.wabot.config.QueueConfig;

/**
 * Names Redis keys. Every key of the bot starts with the configured prefix, whose {@code {hash tag}}
 * puts them all in one Redis Cluster slot: that is what lets one Lua script update a queue, another
 * queue and a conversation's state atomically.
 */
public record Keyspace(String prefix) {

  public static Keyspace of(QueueConfig config) {
    return new Keyspace(config.keyPrefix());
  }

  /** The full name of a key given relative to the prefix, e.g. {@code state:16505551234}. */
  public String key(String relative) {
    return prefix + relative;
  }

  /** The prefix of one queue's keys. */
  String queue(String name) {
    return prefix + name + ":";
  }
}
