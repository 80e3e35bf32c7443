package io.wabot.conversation.i18n;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import io.wabot.config.ConfigException;
import io.wabot.conversation.Commands;
import io.wabot.conversation.Intent;
import io.wabot.conversation.Intents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The shipped copy (conf/messages) is complete and keeps the CX rules: every error and fallback
 * message tells the customer how to reach a person, with a command word that really works.
 */
class MessageFilesTest {

  static final List<String> LOCALES = List.of("en", "es", "es_MX");
  static MessageCatalog catalog;
  static Map<String, JsonObject> files = new LinkedHashMap<>();

  @BeforeAll
  static void load() throws IOException {
    Map<String, String> contents = new LinkedHashMap<>();
    for (String locale : LOCALES) {
      String content = Files.readString(Path.of("conf/messages/" + locale + ".json"));
      contents.put(locale, content);
      files.put(locale, new JsonObject(content));
    }
    catalog = MessageCatalog.parse("conf/messages", contents, "en", Set.of(), List.of());
  }

  static boolean complete(JsonObject file) {
    return !(file.getValue("_meta") instanceof JsonObject meta && Boolean.TRUE.equals(meta.getValue("partial")));
  }

  @Test
  @DisplayName("English and Spanish are complete: every key exists in every complete locale")
  void completeLocales() {
    assertThat(catalog.completeLocales()).containsExactly("en", "es");
    Set<String> english = files.get("en").fieldNames();
    files.forEach((locale, file) -> {
      if (complete(file)) {
        assertThat(file.fieldNames()).as(locale).containsAll(english);
      }
    });
  }

  @Test
  @DisplayName("every error and fallback message, in every locale, tells the customer how to reach a person ({person} or {cmd.agent})")
  void errorsOfferAPerson() {
    files.forEach((locale, file) -> file.fieldNames().stream()
        .filter(key -> key.startsWith("error.") || key.startsWith("fallback."))
        .forEach(key -> assertThat(file.getString(key)).as(locale + " " + key).containsAnyOf("{person}", "{cmd.agent}")));
    for (String locale : List.of("en", "es")) {
      String hint = catalog.texts(locale, Map.of()).get("hint.person");
      assertThat(hint).as(locale).doesNotContain("{");
      assertThat(catalog.text(locale, "hint.person")).contains("{cmd.agent}");
    }
  }

  @Test
  @DisplayName("the English error and fallback copy is the copy approved in the quickstart (CX-002)")
  void quickstartHasTheApprovedCopy() throws IOException {
    String quickstart = Files.readString(Path.of("quickstart.md"));
    JsonObject en = files.get("en");
    en.fieldNames().stream().filter(key -> key.startsWith("error.") || key.startsWith("fallback."))
        .forEach(key -> assertThat(quickstart).as(key).contains("| `" + key + "` | " + en.getString(key) + " |"));
  }

  @Test
  @DisplayName("the words the copy advertises are commands the bot understands")
  void advertisedCommandsWork() {
    Intents intents = new Intents(catalog, Commands.standard());
    for (String locale : LOCALES) {
      Texts texts = catalog.texts(locale, Map.of());
      assertThat(intents.parse(texts.command("agent"))).as(locale).hasValueSatisfying(i -> assertThat(i.command()).isEqualTo(Commands.AGENT));
      assertThat(intents.parse(texts.command("menu"))).as(locale).hasValueSatisfying(i -> assertThat(i.command()).isEqualTo(Commands.MENU));
      assertThat(intents.parse(texts.command("stop"))).as(locale).hasValueSatisfying(i -> assertThat(i.kind()).isEqualTo(Intent.Kind.STOP));
      assertThat(intents.parse(texts.command("start"))).as(locale).hasValueSatisfying(i -> assertThat(i.kind()).isEqualTo(Intent.Kind.START));
      assertThat(intents.parse(texts.command("language"))).as(locale).hasValueSatisfying(i -> assertThat(i.command()).isEqualTo(Commands.LANGUAGE));
    }
  }

  @Test
  @DisplayName("the locale chain falls back es_MX → es → en, and variants fall back when a placeholder is unknown")
  void chainAndVariants() {
    Texts mx = catalog.texts("es_MX", Map.of("shop", "Acme"));
    assertThat(mx.get("item.button.reserve")).isEqualTo("Apartar");
    assertThat(mx.get("item.button.back")).isEqualTo("Volver");
    assertThat(mx.get("greeting.named", Map.of("name", "Ana"))).startsWith("¡Qué tal, Ana!");
    assertThat(mx.get("greeting.named", Map.of())).startsWith("¡Hola! 👋 Soy el asistente de Acme");
    assertThat(catalog.texts("es_AR", Map.of()).locale()).isEqualTo("es");
    assertThat(catalog.texts("fr", Map.of()).locale()).isEqualTo("en");
  }

  @Test
  @DisplayName("a key missing in Spanish falls back to English (and is logged once)")
  void missingKeyFallsBack() {
    MessageCatalog partial = MessageCatalog.parse("m", Map.of(
        "en", "{\"a\": \"Hello\", \"b\": \"Bye\"}",
        "es", "{\"_meta\": {\"partial\": true}, \"a\": \"Hola\"}"), "en", Set.of("a", "b"), List.of());
    assertThat(partial.text("es", "a")).isEqualTo("Hola");
    assertThat(partial.text("es", "b")).isEqualTo("Bye");
    assertThat(partial.text("es", "b")).isEqualTo("Bye");
  }

  @Test
  @DisplayName("broken message files are reported one actionable line each")
  void problems() {
    assertThatThrownBy(() -> MessageCatalog.parse("conf/messages", Map.of(
        "en", "{\"greeting\": \"Hi {name}\", \"menu\": \"Menu\"}",
        "es", "{\"greeting\": \"Hola {nombre}\", \"greting\": \"x\"}",
        "pt", "{not json"), "en", Set.of("greeting", "menu", "help"), List.of()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
            "conf/messages/pt.json: is not valid JSON (Failed to decode:Unexpected character ('n' (code 110)): was expecting double-quote to start field name). Fix the file; it must be one object of \"key\": \"text\" pairs",
            "conf/messages/en.json: missing keys the code uses [help]; add them with their text",
            "conf/messages/es.json: missing keys [menu]; translate them from en.json, or mark the file partial with \"_meta\": {\"partial\": true}",
            "conf/messages/es.json: keys [greting] are not in en.json (a typo?); every key starts there",
            "conf/messages/es.json: \"greeting\" uses [{nombre}] which en.json does not; use only [{name}]"));
  }
}
