package io.wabot.bot;

import io.wabot.config.ConfigException;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds the bot to run: the {@link Bot}s registered with {@link ServiceLoader}
 * ({@code META-INF/services/io.wabot.bot.Bot}), narrowed by {@code bot.definition} when it is set.
 * Every way this can go wrong is one {@link ConfigException} line that says what to do.
 */
public final class BotDiscovery {

  static final String REGISTRATION = "META-INF/services/" + Bot.class.getName();

  private BotDiscovery() {
  }

  /** The bot of the thread's context class loader (the application's class path). */
  public static Bot find(String definition) {
    return find(definition, Thread.currentThread().getContextClassLoader());
  }

  /** @param definition the class name of {@code bot.definition}, or null for the only one registered */
  public static Bot find(String definition, ClassLoader loader) {
    List<ServiceLoader.Provider<Bot>> registered;
    try {
      registered = ServiceLoader.load(Bot.class, loader).stream().toList();
    } catch (ServiceConfigurationError e) {
      throw problem("a line of " + REGISTRATION + " is wrong (" + e.getMessage() + "); it must name a public class"
          + " implementing " + Bot.class.getName() + " with a public no-argument constructor");
    }
    List<String> names = registered.stream().map(p -> p.type().getName()).toList();
    ServiceLoader.Provider<Bot> chosen;
    if (definition != null) {
      chosen = registered.stream().filter(p -> p.type().getName().equals(definition)).findFirst()
          .orElseThrow(() -> problem(unregistered(definition, loader, names)));
    } else if (registered.size() == 1) {
      chosen = registered.get(0);
    } else if (registered.isEmpty()) {
      throw problem("no bot is registered: add " + REGISTRATION + " naming your class that implements "
          + Bot.class.getName() + " (see docs/extending.md)");
    } else {
      throw problem("several bots are registered (" + String.join(", ", names) + "); set BOT_DEFINITION to the one to run");
    }
    try {
      return chosen.get();
    } catch (ServiceConfigurationError e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw problem(chosen.type().getName() + " could not be created (" + cause + "); it needs a public no-argument"
          + " constructor that does not fail");
    }
  }

  private static String unregistered(String definition, ClassLoader loader, List<String> names) {
    String known = names.isEmpty() ? "none is registered" : "registered: " + String.join(", ", names);
    Class<?> type;
    try {
      type = Class.forName(definition, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      return "BOT_DEFINITION: no class " + definition + " on the class path (" + known + ")";
    }
    if (!Bot.class.isAssignableFrom(type)) {
      return "BOT_DEFINITION: " + definition + " does not implement " + Bot.class.getName() + " (" + known + ")";
    }
    return "BOT_DEFINITION: " + definition + " is not registered; add its name to " + REGISTRATION + " (" + known + ")";
  }

  private static ConfigException problem(String line) {
    return new ConfigException(List.of(line.startsWith("BOT_DEFINITION: ") ? line : "bot: " + line));
  }
}
