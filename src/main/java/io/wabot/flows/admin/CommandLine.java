package io.wabot.flows.admin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The options of a Flows script: {@code --flag} and {@code --name value}, checked against the ones it knows. */
final class CommandLine {

  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;

  /** A wrong option or a missing setting: printed as is, exit status {@value #USAGE}. */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message);
    }
  }

  private final Map<String, List<String>> values = new HashMap<>();
  private final Map<String, String> env;

  CommandLine(String[] args, Set<String> flags, Set<String> options, Map<String, String> env) throws UsageException {
    this.env = env;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (flags.contains(arg)) {
        values.computeIfAbsent(arg, k -> new ArrayList<>()).add("true");
      } else if (options.contains(arg)) {
        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
          throw new UsageException(arg + " needs a value (see --help)");
        }
        values.computeIfAbsent(arg, k -> new ArrayList<>()).add(args[++i]);
      } else {
        throw new UsageException("unknown argument: " + arg + " (see --help)");
      }
    }
  }

  boolean has(String flag) {
    return values.containsKey(flag);
  }

  String value(String option, String fallback) {
    List<String> given = values.get(option);
    return given == null ? fallback : given.get(given.size() - 1);
  }

  List<String> all(String option) {
    List<String> out = new ArrayList<>();
    values.getOrDefault(option, List.of()).forEach(v -> {
      for (String part : v.split(",")) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
    });
    return out;
  }

  String env(String name, String fallback) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  /** A required environment variable, or a usage error saying where to find it. */
  String requireEnv(String name, String where) throws UsageException {
    String value = env(name, null);
    if (value == null) {
      throw new UsageException(name + " is not set; " + where);
    }
    return value;
  }

  /** The Graph API client the environment describes, as the bot itself uses it. */
  GraphFlowsClient graph(java.io.PrintStream dryRun) throws UsageException {
    return new GraphFlowsClient(env("WHATSAPP_API_BASE_URL", "https://graph.facebook.com"),
        env("WHATSAPP_API_VERSION", "v23.0"),
        setting("WHATSAPP_ACCESS_TOKEN", dryRun != null, "a system-user token with whatsapp_business_management and"
            + " whatsapp_business_messaging (Meta Business Settings > System users)"),
        dryRun);
  }

  /** A required variable; a dry run that only prints requests makes do with a placeholder. */
  String setting(String name, boolean dryRun, String where) throws UsageException {
    return dryRun && env(name, null) == null ? "<" + name + ">" : requireEnv(name, where);
  }
}
