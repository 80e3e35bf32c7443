package io.wabot.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What the bot is expected to send, written the way a reviewer reads a chat:
 * {@code buttons("What would you like to do?", "Browse products", "Search", "Talk to a person")}.
 * Texts are matched by fragments (each must appear), titles exactly and in order.
 */
final class Bot {

  private Bot() {
  }

  /** A text message containing every fragment. */
  static Consumer<JsonObject> text(String... fragments) {
    return body -> {
      assertThat(body.getString("type")).as("message type of %s", body.encode()).isEqualTo("text");
      assertContains(body.getJsonObject("text").getString("body"), fragments);
    };
  }

  /** Reply buttons with the given titles whose body contains the fragment. */
  static Consumer<JsonObject> buttons(String bodyFragment, String... titles) {
    return body -> {
      JsonObject interactive = interactive(body, "button");
      assertContains(interactive.getJsonObject("body").getString("text"), bodyFragment);
      assertThat(buttonTitles(body)).as("buttons of %s", body.encode()).containsExactly(titles);
    };
  }

  /** A list whose body contains the fragment and whose rows have exactly these titles, in order. */
  static Consumer<JsonObject> list(String bodyFragment, String... rowTitles) {
    return body -> {
      JsonObject interactive = interactive(body, "list");
      assertContains(interactive.getJsonObject("body").getString("text"), bodyFragment);
      assertThat(rowTitles(body)).as("rows of %s", body.encode()).containsExactly(rowTitles);
    };
  }

  /** A list whose body contains the fragment and whose rows start with these titles. */
  static Consumer<JsonObject> listStartingWith(String bodyFragment, String... rowTitles) {
    return body -> {
      JsonObject interactive = interactive(body, "list");
      assertContains(interactive.getJsonObject("body").getString("text"), bodyFragment);
      if (rowTitles.length > 0) {
        assertThat(rowTitles(body)).as("rows of %s", body.encode()).startsWith(rowTitles);
      }
    };
  }

  /** An approved template. */
  static Consumer<JsonObject> template(String name, String languageCode) {
    return body -> {
      assertThat(body.getString("type")).isEqualTo("template");
      assertThat(body.getJsonObject("template").getString("name")).isEqualTo(name);
      assertThat(body.getJsonObject("template").getJsonObject("language").getString("code")).isEqualTo(languageCode);
    };
  }

  /** Any message: for steps whose content another assertion checks. */
  static Consumer<JsonObject> anything() {
    return body -> assertThat(body).isNotNull();
  }

  /** A choice a customer can tap: a reply button or a list row, by its id and title. */
  record Choice(boolean button, String id, String title) {
  }

  /** The button or row titled {@code title} in the bot's last messages, the way a person finds it. */
  static Choice choice(List<JsonObject> replies, String title) {
    for (JsonObject reply : replies) {
      if (!"interactive".equals(reply.getString("type"))) {
        continue;
      }
      JsonObject interactive = reply.getJsonObject("interactive");
      if ("button".equals(interactive.getString("type"))) {
        for (Object b : interactive.getJsonObject("action").getJsonArray("buttons")) {
          JsonObject button = ((JsonObject) b).getJsonObject("reply");
          if (title.equals(button.getString("title"))) {
            return new Choice(true, button.getString("id"), title);
          }
        }
      } else {
        for (JsonObject row : rows(reply)) {
          if (title.equals(row.getString("title"))) {
            return new Choice(false, row.getString("id"), title);
          }
        }
      }
    }
    throw new AssertionError("the bot's last message offers no \"" + title + "\"; it sent: " + replies);
  }

  static List<String> buttonTitles(JsonObject body) {
    List<String> titles = new ArrayList<>();
    JsonArray buttons = body.getJsonObject("interactive").getJsonObject("action").getJsonArray("buttons");
    buttons.forEach(b -> titles.add(((JsonObject) b).getJsonObject("reply").getString("title")));
    return titles;
  }

  static List<String> rowTitles(JsonObject body) {
    List<String> titles = new ArrayList<>();
    for (JsonObject row : rows(body)) {
      titles.add(row.getString("title"));
    }
    return titles;
  }

  static List<JsonObject> rows(JsonObject body) {
    List<JsonObject> rows = new ArrayList<>();
    JsonArray sections = body.getJsonObject("interactive").getJsonObject("action").getJsonArray("sections");
    sections.forEach(s -> ((JsonObject) s).getJsonArray("rows").forEach(r -> rows.add((JsonObject) r)));
    return rows;
  }

  /** The visible text of a message: a text's body, or an interactive message's header and body. */
  static String visibleText(JsonObject body) {
    if ("text".equals(body.getString("type"))) {
      return body.getJsonObject("text").getString("body");
    }
    if ("interactive".equals(body.getString("type"))) {
      JsonObject interactive = body.getJsonObject("interactive");
      JsonObject header = interactive.getJsonObject("header");
      return (header == null ? "" : header.getString("text") + "\n") + interactive.getJsonObject("body").getString("text");
    }
    return body.encode();
  }

  private static JsonObject interactive(JsonObject body, String type) {
    assertThat(body.getString("type")).as("message type of %s", body.encode()).isEqualTo("interactive");
    JsonObject interactive = body.getJsonObject("interactive");
    assertThat(interactive.getString("type")).as("interactive type of %s", body.encode()).isEqualTo(type);
    return interactive;
  }

  private static void assertContains(String actual, String... fragments) {
    for (String fragment : fragments) {
      assertThat(actual).contains(fragment);
    }
  }
}
