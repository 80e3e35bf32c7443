package io.wabot.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Effects applied atomically with a job's acknowledgement, the transactional outbox of this queue:
 * a conversation's new state, the replies it produced and the removal of the inbound job happen
 * together or not at all, so a crash can neither lose a reply nor send it twice.
 *
 * <p>Keys are relative to the {@link Keyspace} (e.g. {@code state:16505551234}); all of them live
 * under the queue's hash tag.
 */
public final class Commit {

  /** One effect. */
  public sealed interface Effect {
  }

  /**
   * Store a job in a queue, deduplicated by its id for {@code queue.dedupWindow} (a commit is applied
   * once; the longer {@code queue.inboundDedupWindow} is for Meta's message ids, which the webhook enqueues).
   */
  public record Enqueue(String queue, NewJob job) implements Effect {
  }

  /** Set a string key, with a time to live (null: no expiry). */
  public record Put(String key, String value, Duration ttl) implements Effect {
  }

  /** Delete a key. */
  public record Delete(String key) implements Effect {
  }

  private static final Commit NONE = new Commit(List.of());

  private final List<Effect> effects;

  private Commit(List<Effect> effects) {
    this.effects = effects;
  }

  public static Commit none() {
    return NONE;
  }

  public static Commit of(Effect... effects) {
    return new Commit(List.of(effects));
  }

  public Commit enqueue(String queue, NewJob job) {
    return with(new Enqueue(queue, job));
  }

  public Commit put(String key, String value, Duration ttl) {
    return with(new Put(key, value, ttl));
  }

  public Commit delete(String key) {
    return with(new Delete(key));
  }

  /** These effects, then {@code more}'s. */
  public Commit and(Commit more) {
    if (more.isEmpty()) {
      return this;
    }
    List<Effect> copy = new ArrayList<>(effects);
    copy.addAll(more.effects);
    return new Commit(Collections.unmodifiableList(copy));
  }

  private Commit with(Effect effect) {
    List<Effect> copy = new ArrayList<>(effects);
    copy.add(effect);
    return new Commit(Collections.unmodifiableList(copy));
  }

  public List<Effect> effects() {
    return effects;
  }

  public boolean isEmpty() {
    return effects.isEmpty();
  }
}
