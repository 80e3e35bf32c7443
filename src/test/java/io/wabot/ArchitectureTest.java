package io.wabot;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.wabot.bot.Bot;
import io.wabot.example.sales.SalesBot;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The layers, enforced: an adopter's bot (and the example) sits on top of the framework, the
 * framework never reaches up to it, and no two top-level packages depend on each other in a cycle
 * (bytecode, so fully qualified references count as much as imports).
 */
class ArchitectureTest {

  static JavaClasses classes;

  @BeforeAll
  static void read() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.wabot");
  }

  @Test
  @DisplayName("no cycle between io.wabot's top-level packages")
  void noCycles() {
    slices().matching("io.wabot.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  @DisplayName("no framework package imports the example")
  void frameworkIgnoresTheExample() {
    frameworkImportsExample().check(classes);
  }

  @Test
  @DisplayName("the rules see what they forbid: test code that drives the example from io.wabot.conversation, and a cycle")
  void rulesCanFail() throws ClassNotFoundException {
    // ChatHarness (test code) builds the sales example from inside io.wabot.conversation: were it main code, the build would fail.
    JavaClasses harness = new ClassFileImporter().importClasses(Class.forName("io.wabot.conversation.ChatHarness"));
    assertThat(frameworkImportsExample().evaluate(harness).hasViolation()).isTrue();
    // BotDiscoveryTest (test code in io.wabot.bot) uses SalesBot, which implements Bot: bot → example → bot.
    JavaClasses withCycle = new ClassFileImporter().importClasses(Class.forName("io.wabot.bot.BotDiscoveryTest"),
        SalesBot.class, Bot.class);
    assertThat(slices().matching("io.wabot.(*)..").should().beFreeOfCycles().evaluate(withCycle).hasViolation()).isTrue();
  }

  @Test
  @DisplayName("only the application and observability fetch the metrics registry from the static; everything else gets it handed in")
  void registryInjected() {
    ambientRegistry().check(classes);
  }

  @Test
  @DisplayName("the registry rule sees a class that fetches the registry from the static")
  void registryRuleCanFail() throws ClassNotFoundException {
    // Test code in io.wabot.queue that calls Metrics.registry(): were it main code, the build would fail.
    JavaClasses fetching = new ClassFileImporter().importClasses(Class.forName("io.wabot.queue.AmbientRegistryUser"));
    assertThat(ambientRegistry().evaluate(fetching).hasViolation()).isTrue();
  }

  /**
   * Metrics.registry() answers whichever Vert.x the calling thread belongs to: a class that calls it
   * records into a registry nobody chose, so the wiring (Application) hands the registry in instead.
   */
  private static ArchRule ambientRegistry() {
    return noClasses().that().resideOutsideOfPackages("io.wabot", "io.wabot.observability..")
        .should().callMethod(io.wabot.observability.Metrics.class, "registry");
  }

  private static ArchRule frameworkImportsExample() {
    return noClasses().that().resideOutsideOfPackage("io.wabot.example..")
        .should().dependOnClassesThat().resideInAPackage("io.wabot.example..");
  }

  @Test
  @DisplayName("only the application's entry points and the bots use io.wabot.bot: the framework gets its pieces handed in")
  void frameworkIgnoresTheBot() {
    noClasses().that().resideOutsideOfPackages("io.wabot", "io.wabot.bot..", "io.wabot.example..")
        .should().dependOnClassesThat().resideInAPackage("io.wabot.bot..")
        .check(classes);
  }
}
