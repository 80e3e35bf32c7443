package io.wabot.conversation;

import io.wabot.queue.Commit;

/** Joins commits: the effects of a consent hook or a notification added to a turn's own. */
final class Effects {

  private Effects() {
  }

  static Commit append(Commit target, Commit more) {
    Commit out = target;
    for (Commit.Effect effect : more.effects()) {
      if (effect instanceof Commit.Enqueue e) {
        out = out.enqueue(e.queue(), e.job());
      } else if (effect instanceof Commit.Put p) {
        out = out.put(p.key(), p.value(), p.ttl());
      } else if (effect instanceof Commit.Delete d) {
        out = out.delete(d.key());
      }
    }
    return out;
  }
}
