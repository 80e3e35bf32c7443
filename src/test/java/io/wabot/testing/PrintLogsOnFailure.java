package io.wabot.testing;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Registered for every test (META-INF/services, with autodetection on in junit-platform.properties):
 * prints what a failed test logged (its class's set-up included), from {@link TestLogBuffer}, and
 * drops what the tests that passed logged.
 */
public final class PrintLogsOnFailure implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

  @Override
  public void beforeAll(ExtensionContext context) {
    TestLogBuffer.drain(); // stragglers of the class before
  }

  @Override
  public void afterEach(ExtensionContext context) {
    printIfFailed(context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    printIfFailed(context);
  }

  private static void printIfFailed(ExtensionContext context) {
    List<String> lines = TestLogBuffer.drain();
    if (context.getExecutionException().isEmpty() || lines.isEmpty()) {
      return;
    }
    StringBuilder out = new StringBuilder("---- log of the failed " + context.getDisplayName() + " (" + lines.size()
        + " lines) ----\n");
    lines.forEach(out::append);
    System.out.print(out.append("---- end of the log of ").append(context.getDisplayName()).append(" ----\n"));
  }
}
