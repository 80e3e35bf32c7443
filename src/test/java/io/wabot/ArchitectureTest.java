package io.wabot;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
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
    noClasses().that().resideOutsideOfPackage("io.wabot.example..")
        .should().dependOnClassesThat().resideInAPackage("io.wabot.example..")
        .check(classes);
  }

  @Test
  @DisplayName("only the application's entry points and the bots use io.wabot.bot: the framework gets its pieces handed in")
  void frameworkIgnoresTheBot() {
    noClasses().that().resideOutsideOfPackages("io.wabot", "io.wabot.bot..", "io.wabot.example..")
        .should().dependOnClassesThat().resideInAPackage("io.wabot.bot..")
        .check(classes);
  }
}
