package io.wabot.flows.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.wabot.config.ConfigException;
import io.wabot.flows.FlowDefinition;
import io.wabot.flows.FlowDefinitions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code scripts/flows-publish}: checks the Flow JSON files of {@code conf/flows} as start-up does, then
 * creates or updates each flow on the business account and, when asked, publishes it.
 */
public final class FlowsPublishCommand {

  static final String HELP = """
      Usage: scripts/flows-publish [--dir DIR] [--flow NAME]... [--endpoint-uri URL] [--categories LIST]
                                   [--publish] [--dry-run] [--help]

      Creates or updates the WhatsApp Flows of conf/flows on your WhatsApp Business Account: each
      <name>.json becomes the flow <name>. The files are checked first, as the bot checks them at
      start-up; then a flow that does not exist is created, a DRAFT flow gets the file as its new Flow
      JSON, and Meta's validation errors are printed. A PUBLISHED flow is left alone: Meta never
      changes one (publish the new version under a new file name and send that name).

        --dir DIR            the flows folder (default conf/flows)
        --flow NAME          only this flow (repeat, or comma-separate, for several)
        --endpoint-uri URL   the bot's data-exchange endpoint, e.g. https://bot.example.com/flows;
                             required for flows that declare a data_api_version
        --categories LIST    Meta's categories for new flows, comma-separated (default OTHER; also
                             SIGN_UP, SIGN_IN, APPOINTMENT_BOOKING, LEAD_GENERATION, CONTACT_US,
                             CUSTOMER_SUPPORT, SURVEY)
        --publish            publish each flow after updating it (irreversible)
        --dry-run            check the files and read the account, print the changes, change nothing
        --help               this text

      Environment: WHATSAPP_ACCESS_TOKEN, WHATSAPP_BUSINESS_ACCOUNT_ID; WHATSAPP_API_BASE_URL and
      WHATSAPP_API_VERSION (default https://graph.facebook.com, v23.0; the sandbox's simulator works too).
      """;

  private FlowsPublishCommand() {
  }

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    try {
      CommandLine line = new CommandLine(args, Set.of("--publish", "--dry-run", "--help"),
          Set.of("--dir", "--flow", "--endpoint-uri", "--categories"), env);
      if (line.has("--help")) {
        out.print(HELP);
        return CommandLine.OK;
      }
      List<FlowDefinition> flows = selected(line);
      String endpointUri = line.value("--endpoint-uri", null);
      for (FlowDefinition flow : flows) {
        if (flow.usesEndpoint() && endpointUri == null) {
          throw new CommandLine.UsageException(flow.source() + " uses an endpoint (data_api_version): give --endpoint-uri,"
              + " the public URL of the bot's POST /flows, e.g. https://bot.example.com/flows");
        }
      }
      boolean dryRun = line.has("--dry-run");
      String account = line.setting("WHATSAPP_BUSINESS_ACCOUNT_ID", dryRun, "the WhatsApp Business Account id (WhatsApp"
          + " Manager > Account tools)");
      GraphFlowsClient graph = line.graph(dryRun ? out : null);
      Map<String, JsonObject> remote = new LinkedHashMap<>();
      if (dryRun && (line.env("WHATSAPP_ACCESS_TOKEN", null) == null || line.env("WHATSAPP_BUSINESS_ACCOUNT_ID", null) == null)) {
        out.println("(the account is not read without WHATSAPP_ACCESS_TOKEN and WHATSAPP_BUSINESS_ACCOUNT_ID: every flow"
            + " is shown as new)");
      } else {
        graph.flows(account).forEach(f -> remote.put(f.getString("name"), f));
      }
      boolean failed = false;
      for (FlowDefinition flow : flows) {
        failed |= !publish(graph, account, flow, Optional.ofNullable(remote.get(flow.name())), line, out, err);
      }
      if (dryRun) {
        out.println("Dry run: nothing was changed.");
      }
      return failed ? CommandLine.FAILED : CommandLine.OK;
    } catch (CommandLine.UsageException e) {
      err.println("flows-publish: " + e.getMessage());
      return CommandLine.USAGE;
    } catch (ConfigException e) {
      err.println("flows-publish: " + e.problems().size() + " problem(s) in the flow files; nothing was sent:");
      e.problems().forEach(p -> err.println("  " + p));
      return CommandLine.FAILED;
    } catch (GraphFlowsClient.GraphCallException e) {
      err.println("flows-publish: " + e.getMessage());
      return CommandLine.FAILED;
    } catch (IOException e) {
      err.println("flows-publish: " + e.getMessage());
      return CommandLine.FAILED;
    }
  }

  /** One flow; false when Meta refused it. */
  private static boolean publish(GraphFlowsClient graph, String account, FlowDefinition flow, Optional<JsonObject> existing,
      CommandLine line, PrintStream out, PrintStream err) throws GraphFlowsClient.GraphCallException {
    String endpointUri = flow.usesEndpoint() ? line.value("--endpoint-uri", null) : null;
    String id;
    if (existing.isEmpty()) {
      List<String> categories = line.all("--categories");
      id = graph.createFlow(account, flow.name(), categories.isEmpty() ? List.of("OTHER") : categories, endpointUri);
      out.println(flow.name() + ": created as a DRAFT flow (id " + id + ")");
    } else if (!"DRAFT".equals(existing.get().getString("status"))) {
      out.println(flow.name() + ": " + existing.get().getString("status") + " on the account (id " + existing.get().getString("id")
          + "), left as it is: Meta never changes a published flow. To change it, save the new version as another file"
          + " (e.g. " + flow.name() + "_v2.json), publish that, and send the new name.");
      return true;
    } else {
      id = existing.get().getString("id");
      if (endpointUri != null) {
        graph.setEndpoint(id, endpointUri);
      }
    }
    JsonArray problems = graph.uploadFlowJson(id, flow.json().encodePrettily());
    if (!problems.isEmpty()) {
      err.println(flow.name() + ": Meta refused the Flow JSON (" + problems.size() + " validation error(s)):");
      problems.forEach(p -> err.println("  " + describe((JsonObject) p)));
      return false;
    }
    out.println(flow.name() + ": Flow JSON uploaded" + (endpointUri == null ? "" : ", endpoint " + endpointUri));
    if (line.has("--publish")) {
      graph.publish(id);
      out.println(flow.name() + ": published");
    }
    return true;
  }

  private static String describe(JsonObject problem) {
    String where = problem.containsKey("line_start") ? " (line " + problem.getValue("line_start") + ")" : "";
    JsonArray pointers = problem.getJsonArray("pointers");
    return problem.getString("message", problem.encode()) + where + (pointers == null || pointers.isEmpty() ? ""
        : " at " + pointers.encode());
  }

  private static List<FlowDefinition> selected(CommandLine line) throws IOException, CommandLine.UsageException {
    Path dir = Path.of(line.value("--dir", "conf/flows"));
    if (!Files.isDirectory(dir)) {
      throw new CommandLine.UsageException(dir + " is not a folder (give --dir, or run from the repository root)");
    }
    Map<String, String> files = new LinkedHashMap<>();
    try (Stream<Path> listing = Files.list(dir)) {
      for (Path file : listing.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        files.put(file.toString(), Files.readString(file));
      }
    }
    FlowDefinitions definitions = FlowDefinitions.parse(files);
    List<String> wanted = line.all("--flow");
    for (String name : wanted) {
      if (definitions.get(name).isEmpty()) {
        throw new CommandLine.UsageException("no flow \"" + name + "\" in " + dir + "; there are "
            + definitions.all().stream().map(FlowDefinition::name).toList());
      }
    }
    List<FlowDefinition> flows = definitions.all().stream().filter(f -> wanted.isEmpty() || wanted.contains(f.name())).toList();
    if (flows.isEmpty()) {
      throw new CommandLine.UsageException("no Flow JSON files in " + dir);
    }
    return flows;
  }
}
