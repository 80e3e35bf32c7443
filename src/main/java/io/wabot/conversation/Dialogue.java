package io.wabot.conversation;

import io.vertx.core.Future;
import io.wabot.common.Locales;
import io.wabot.conversation.consent.ConsentChange;
import io.wabot.conversation.consent.ConsentHook;
import io.wabot.conversation.consent.ConsentStatus;
import io.wabot.conversation.consent.MessagePurpose;
import io.wabot.conversation.i18n.MessageCatalog;
import io.wabot.conversation.i18n.TextFold;
import io.wabot.conversation.i18n.Texts;
import io.wabot.observability.Correlation;
import io.wabot.whatsapp.inbound.InboundMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides how one customer message is answered, in this order: consent words (always honoured),
 * silence for opted-out customers and during a hand-off (the team gets the customer's words and files),
 * global commands, media (to the current flow when it takes it, else a polite note), then the flow the
 * message belongs to. Afterwards it handles what the flow reported: a
 * misunderstanding (apologise; after repeated ones offer a person), an option it cannot follow
 * (apologise and show the menu), or a hand-off request.
 */
final class Dialogue {

  private final List<Flow> flows;
  private final Intents intents;
  private final Handoffs handoffs;
  private final ConsentHook consent;
  private final MessageCatalog messages;
  private final Map<String, String> ambient;
  private final int misunderstandingThreshold;
  private final ConversationMetrics metrics;
  /** What the commands get of the engine; START is handled apart, before a stopped customer is ignored. */
  private final Command.Conversation conversation = new Command.Conversation() {
    @Override
    public Future<Void> startHome(Turn turn, String intro) {
      return Dialogue.this.startHome(turn, intro);
    }

    @Override
    public Future<Void> pickLanguage(Turn turn) {
      return Dialogue.this.pickLanguage(turn);
    }
  };

  Dialogue(List<Flow> flows, Intents intents, Handoffs handoffs, ConsentHook consent, MessageCatalog messages,
      Map<String, String> ambient, int misunderstandingThreshold, ConversationMetrics metrics) {
    if (flows.isEmpty()) {
      throw new IllegalArgumentException("Flows must list at least one flow: the first one is the home flow");
    }
    this.flows = List.copyOf(flows);
    this.intents = intents;
    this.handoffs = handoffs;
    this.consent = consent;
    this.messages = messages;
    this.ambient = Map.copyOf(ambient);
    this.misunderstandingThreshold = misunderstandingThreshold;
    this.metrics = metrics;
  }

  Flow home() {
    return flows.get(0);
  }

  /** Shows the home flow's start (the main menu), with an intro text or, when null, its greeting. */
  Future<Void> startHome(Turn turn, String intro) {
    turn.runningFlow(home().name());
    return home().start(turn, intro);
  }

  Future<Void> run(Turn turn, ConsentStatus status, String jobId, Correlation correlation) {
    turn.consent(status);
    InboundMessage message = turn.message();
    if (message instanceof InboundMessage.Reaction || message instanceof InboundMessage.IdentityChanged
        || message instanceof InboundMessage.Unsupported u && u.type().equals("system")) {
      turn.receipt(Turn.Receipt.NONE); // nothing to answer, and no typing indicator for nothing
      return count("silent");
    }
    Optional<Intent> intent = intentOf(turn);
    if (intent.filter(i -> i.is(Intent.Kind.STOP)).isPresent()) {
      return stop(turn, jobId, correlation);
    }
    if (status.stoppedAll()) {
      if (intent.filter(i -> i.is(Intent.Kind.START)).isPresent()) {
        return restart(turn);
      }
      turn.receipt(Turn.Receipt.READ);
      return count("opted_out");
    }
    turn.media().ifPresent(media -> turn.replaceState(RecentMedia.remember(turn.state(), media)));
    if (turn.state().handoff() != null) {
      if (turn.state().handedOffAt(turn.now())) {
        if (intent.filter(i -> i.is(Commands.MENU)).isPresent()) {
          handoffs.end(turn, jobId, "customer", correlation);
          return startHome(turn, turn.texts().get("handback.by_customer"));
        }
        handoffs.forward(turn, jobId, correlation);
        return count("quiet");
      }
      handoffs.end(turn, jobId, "timeout", correlation);
    }
    if (message instanceof InboundMessage.FlowReply reply) {
      return FlowCompletions.accept(turn, reply, correlation, metrics).compose(refusal -> {
        if (refusal.isPresent()) {
          return startHome(turn, turn.texts().get(refusal.get()));
        }
        Optional<Flow> owner = flows.stream().filter(f -> f.handles(turn)).findFirst();
        if (owner.isEmpty()) {
          FlowCompletions.unclaimed(turn, correlation, metrics);
          turn.cannotFollow();
          return Future.succeededFuture();
        }
        turn.runningFlow(owner.get().name());
        return owner.get().handle(turn);
      }).compose(v -> afterFlow(turn, false, jobId, correlation));
    }
    Future<Void> answered;
    boolean flowRan = false;
    if (intent.isPresent()) {
      answered = command(turn, intent.get());
    } else if (turn.choice() != null && turn.choice().startsWith("core:")) {
      turn.cannotFollow(); // a core id that is not a command: from an older version of the bot
      answered = Future.succeededFuture();
    } else if (message instanceof InboundMessage.Order) {
      Flow flow = flowNamed(turn.state().flow()).orElse(home()); // a cart goes to the flow in charge, else home
      turn.runningFlow(flow.name());
      answered = flow.handle(turn);
    } else if (turn.choice() == null && turn.text() == null) {
      Optional<Flow> taker = turn.media().isPresent() ? mediaTaker(turn) : Optional.empty();
      if (taker.isPresent()) {
        turn.runningFlow(taker.get().name());
        answered = taker.get().handle(turn).compose(v -> count("media"));
      } else {
        boolean failed = turn.media().filter(media -> !media.stored()).isPresent();
        answered = startHome(turn, turn.texts().get(failed ? "fallback.media.failed" : unreadableKey(message)))
            .compose(v -> count(failed ? "media_failed" : "media"));
      }
    } else {
      Optional<Flow> flow = flowFor(turn);
      flowRan = flow.isPresent();
      if (flow.isPresent()) {
        turn.runningFlow(flow.get().name());
        answered = flow.get().handle(turn);
      } else {
        turn.cannotFollow();
        answered = Future.succeededFuture();
      }
    }
    boolean greetFirst = flowRan && turn.newConversation() && message instanceof InboundMessage.Text;
    return answered.compose(v -> afterFlow(turn, greetFirst, jobId, correlation));
  }

  /**
   * Whether the customer's message says STOP, typed in any language or tapped: nothing but its confirmation may
   * answer it, not even an apology for a turn that failed (its opt-out then was never stored).
   */
  boolean saysStop(InboundMessage message) {
    return intentOf(Turn.tapped(message), message).filter(i -> i.is(Intent.Kind.STOP)).isPresent();
  }

  private Optional<Intent> intentOf(Turn turn) {
    return intentOf(turn.choice(), turn.message());
  }

  /** The global command a message asks for: by the choice it made ({@code core:} ids), else by the text it typed. */
  private Optional<Intent> intentOf(String choice, InboundMessage message) {
    if (choice != null && choice.startsWith("core:")) {
      return intents.tapped(choice.substring(5));
    }
    String text = Turn.typed(message);
    if (text == null) {
      return Optional.empty();
    }
    Optional<Intent> typed = intents.parse(text);
    // A template's quick-reply button the bot does not know ("Continue", "Yes"): welcome them back.
    return typed.isEmpty() && message instanceof InboundMessage.QuickReply ? Optional.of(Intent.of(Commands.MENU)) : typed;
  }

  /** The flow the conversation is in (else the home flow), when it takes this file. */
  private Optional<Flow> mediaTaker(Turn turn) {
    Flow current = flows.stream().filter(f -> f.name().equals(turn.state().flow())).findFirst().orElse(home());
    return current.takesMedia(turn) ? Optional.of(current) : Optional.empty();
  }

  private Optional<Flow> flowFor(Turn turn) {
    for (Flow flow : flows) {
      if (flow.handles(turn)) {
        return Optional.of(flow);
      }
    }
    return turn.choice() == null ? Optional.of(home()) : Optional.empty();
  }

  private Future<Void> command(Turn turn, Intent intent) {
    count("command");
    return switch (intent.kind()) {
      case SET_LANGUAGE -> setLanguage(turn, intent.locale());
      // START from a customer who never stopped: welcome them back to the menu, as always.
      case START, STOP -> Commands.MENU.run(turn, conversation);
      case COMMAND -> intent.command().run(turn, conversation);
    };
  }

  private Future<Void> stop(Turn turn, String jobId, Correlation correlation) {
    ConsentChange change = new ConsentChange(turn.customer(), true, ConsentChange.Scope.ALL, ConsentChange.Source.KEYWORD,
        TextFold.fold(turn.text() == null ? turn.choice() : turn.text()), turn.now());
    return consent.onChange(change).map(effects -> {
      turn.addEffects(effects);
      if (turn.state().handoff() != null) {
        handoffs.end(turn, jobId, "unsubscribed", correlation);
      }
      turn.replaceState(turn.state().at(null, null).withContext(Map.of()).withOptions(List.of()).withMisunderstandings(0));
      turn.send(turn.ui().text(turn.texts().get("consent.stopped")), MessagePurpose.CONSENT);
      count("stop");
      return null;
    });
  }

  private Future<Void> restart(Turn turn) {
    ConsentChange change = new ConsentChange(turn.customer(), false, ConsentChange.Scope.ALL, ConsentChange.Source.KEYWORD,
        TextFold.fold(turn.text()), turn.now());
    return consent.onChange(change).compose(effects -> {
      turn.addEffects(effects);
      ConsentStatus before = turn.consent();
      turn.consent(new ConsentStatus(false, before.stoppedMarketing(), before.since()));
      count("start");
      return startHome(turn, turn.texts().get("consent.started"));
    });
  }

  Future<Void> pickLanguage(Turn turn) {
    List<Choice> choices = new ArrayList<>();
    for (String locale : messages.completeLocales()) {
      choices.add(Choice.of("core:lang:" + locale, messages.text(locale, "language.name")));
    }
    String body = turn.texts().get("language.prompt");
    turn.send(choices.size() <= 3 ? turn.ui().buttons(body, choices)
        : turn.ui().list(body, turn.texts().get("language.button"), choices));
    return Future.succeededFuture();
  }

  private Future<Void> setLanguage(Turn turn, String wanted) {
    if (!messages.supports(wanted)) {
      turn.cannotFollow();
      return Future.succeededFuture();
    }
    String current = turn.state().locale();
    // Picking "Español" keeps a Mexican customer's es_MX: same language, closer wording.
    String locale = Locales.language(current).equals(Locales.language(wanted)) && messages.supports(current) ? current : wanted;
    turn.replaceState(turn.state().withLocale(locale, true));
    turn.switchTexts(messages.texts(locale, ambient));
    turn.chooseLocale(locale);
    return startHome(turn, turn.texts().get("language.changed"));
  }

  private Future<Void> afterFlow(Turn turn, boolean greetFirst, String jobId, Correlation correlation) {
    ConversationState state = turn.state();
    if (turn.couldNotFollow()) {
      turn.dropReplies();
      turn.clearOutcome();
      count("lost_state");
      return startHome(turn, turn.texts().get(turn.newConversation() ? "fallback.lost_state" : "fallback.stale_option"));
    }
    if (turn.wasMisunderstood()) {
      turn.clearOutcome();
      if (turn.newConversation()) {
        count("greeting");
        return startHome(turn, null); // a first message we cannot place gets a welcome, not an apology
      }
      int misses = state.misunderstandings() + 1;
      turn.replaceState(state.withMisunderstandings(misses));
      count("misunderstood");
      return misses >= misunderstandingThreshold ? offerPerson(turn) : startHome(turn, turn.texts().get("fallback.not_understood"));
    }
    if (turn.state().misunderstandings() != 0) {
      turn.replaceState(turn.state().withMisunderstandings(0));
    }
    Escalation escalation = turn.escalation();
    if (escalation != null) {
      return handoffs.begin(turn, escalation, jobId, correlation);
    }
    if (greetFirst && !turn.replies().isEmpty()) {
      turn.prepend(turn.ui().text(turn.texts().get("greeting.short.named", Texts.params("name", Names.first(state.profileName())))));
    }
    return count("understood");
  }

  private Future<Void> offerPerson(Turn turn) {
    turn.remember(Handoffs.OFFERED_PERSON, "1");
    turn.send(turn.ui().buttons(turn.texts().get("fallback.offer_person"), List.of(
        Choice.of("core:agent", turn.texts().get("menu.button.person")),
        Choice.of("core:menu", turn.texts().get("menu.button.menu")))));
    return Future.succeededFuture();
  }

  private Optional<Flow> flowNamed(String name) {
    return flows.stream().filter(f -> f.name().equals(name)).findFirst();
  }

  private static String unreadableKey(InboundMessage message) {
    if (message instanceof InboundMessage.Media media) {
      return switch (media.kind()) {
        case "image" -> "fallback.media.image";
        case "audio" -> "fallback.media.audio";
        case "video" -> "fallback.media.video";
        case "sticker" -> "fallback.media.sticker";
        default -> "fallback.media.document";
      };
    }
    if (message instanceof InboundMessage.Location) {
      return "fallback.location";
    }
    if (message instanceof InboundMessage.Contacts) {
      return "fallback.contacts";
    }
    return "fallback.unsupported";
  }

  private Future<Void> count(String outcome) {
    metrics.turn(outcome);
    return Future.succeededFuture();
  }
}
