package io.wabot.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.Status;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.wabot.observability.Events;
import io.wabot.observability.MetricNames;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's view of the cluster: who the members are (for readiness, metrics and logs), and who
 * left (so state kept about a peer can be dropped). Members are named by their Hazelcast address,
 * {@code host:port}, which is also what {@link #self()} answers and what other nodes call this one.
 */
public final class ClusterMembership {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterMembership.class);

  private final HazelcastClusterManager manager;
  private final List<Consumer<String>> leaveListeners = new CopyOnWriteArrayList<>();
  private UUID listener;

  public ClusterMembership(HazelcastClusterManager manager) {
    this.manager = manager;
  }

  private HazelcastInstance hazelcast() {
    return manager.getHazelcastInstance();
  }

  /** Logs joins and departures from now on, and tells {@link #onLeave} listeners about departures. */
  public void watch() {
    listener = hazelcast().getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        Events.info(LOG, "cluster.member_joined").addKeyValue("member", name(event.getMember()))
            .addKeyValue("members", event.getMembers().size())
            .log("Cluster member {} joined; {} members", name(event.getMember()), event.getMembers().size());
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        String member = name(event.getMember());
        Events.warn(LOG, "cluster.member_left").addKeyValue("member", member)
            .addKeyValue("members", event.getMembers().size())
            .log("Cluster member {} left; {} members. Jobs it held were handed back if it stopped cleanly,"
                + " or return to the queue when their leases expire", member, event.getMembers().size());
        leaveListeners.forEach(l -> l.accept(member));
      }
    });
  }

  /** Called with the member's name when a member leaves or is declared dead. */
  public void onLeave(Consumer<String> action) {
    leaveListeners.add(action);
  }

  public void stopWatching() {
    if (listener != null && hazelcast().getLifecycleService().isRunning()) {
      hazelcast().getCluster().removeMembershipListener(listener);
    }
  }

  /** This node's name, {@code host:port} of its Hazelcast member. */
  public String self() {
    return name(hazelcast().getCluster().getLocalMember());
  }

  /** The members' names, this node included, oldest first. */
  public List<String> members() {
    List<String> names = new ArrayList<>();
    for (Member member : hazelcast().getCluster().getMembers()) {
      names.add(name(member));
    }
    return names;
  }

  /** Joined: Hazelcast runs, Vert.x's cluster manager is active, and this node is among the members. */
  public boolean joined() {
    return manager.isActive() && hazelcast().getLifecycleService().isRunning()
        && hazelcast().getCluster().getMembers().contains(hazelcast().getCluster().getLocalMember());
  }

  public JsonObject toJson() {
    boolean joined = joined();
    JsonObject json = new JsonObject().put("joined", joined);
    if (joined) {
      json.put("self", self()).put("members", new JsonArray(members()));
    }
    return json;
  }

  /** The {@code cluster} readiness check: UP with the members listed while joined, DOWN otherwise. */
  public Handler<Promise<Status>> readinessCheck() {
    return promise -> {
      try {
        JsonObject data = toJson();
        promise.complete(data.getBoolean("joined") ? Status.OK(data) : Status.KO(data));
      } catch (RuntimeException e) {
        promise.complete(Status.KO(new JsonObject().put("joined", false).put("error", String.valueOf(e.getMessage()))));
      }
    };
  }

  /** The {@code wabot_cluster_members} gauge: members this node sees, itself included; 0 when not joined. */
  public Gauge registerGauge(MeterRegistry registry) {
    return Gauge.builder(MetricNames.CLUSTER_MEMBERS, this, m -> m.joined() ? m.members().size() : 0)
        .description("Members of the Vert.x cluster this node sees, itself included (0 when not joined)")
        .strongReference(true).register(registry);
  }

  static String name(Member member) {
    return member.getAddress().getHost() + ":" + member.getAddress().getPort();
  }
}
