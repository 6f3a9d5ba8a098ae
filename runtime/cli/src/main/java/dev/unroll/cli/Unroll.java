package dev.unroll.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code unroll} command: {@code java -jar unroll.jar <command> ...}.
 *
 * <p>Exit status, as picocli's conventions: 0 on success; 1 when a file cannot be read or does not fit
 * (the message names what was expected and what was found); 2 for a usage error (an unknown option, a
 * missing parameter), with the usage on stderr.
 */
@Command(name = "unroll", mixinStandardHelpOptions = true, versionProvider = Unroll.Version.class,
    description = "Inspects Keras and PyTorch model files and the models Unroll generates.",
    subcommands = {DeclareCommand.class, SummaryCommand.class, CheckCommand.class, ConvertCommand.class,
        DiagramCommand.class},
    synopsisSubcommandLabel = "COMMAND",
    footerHeading = "%nExit status:%n",
    footer = {"  0  success",
        "  1  a file cannot be read or does not fit (every difference is listed)",
        "  2  usage error (unknown option, missing or invalid parameter)",
        "",
        "Shell completion (bash, zsh): source <(java -jar unroll.jar completion)"})
public final class Unroll implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** Without a command: the usage, and the usage-error status. */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required command: one of "
        + String.join(", ", spec.subcommands().keySet()));
  }

  public static void main(String[] args) {
    if (System.getProperty("slf4j.internal.verbosity") == null) {
      // jhdf logs through SLF4J; without a provider SLF4J warns on stderr on first use
      System.setProperty("slf4j.internal.verbosity", "ERROR");
    }
    System.exit(commandLine().execute(args));
  }

  /** The command line with every subcommand, its exception handler and UTF-8 output. */
  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Unroll());
    CommandLine completion = new CommandLine(new AutoComplete.GenerateCompletion());
    completion.getCommandSpec().usageMessage().hidden(false)
        .description("Print a bash/zsh completion script: source <(java -jar unroll.jar completion)");
    completion.setCommandName("completion");
    cl.addSubcommand("completion", completion);
    cl.setOut(new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
    cl.setErr(new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
    cl.setExecutionExceptionHandler(new Failures());
    cl.setParameterExceptionHandler(Unroll::usageError);
    return cl;
  }

  /** A usage error: the message, the command's synopsis and where the help is; status 2. */
  private static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println(e.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    err.print(cl.getHelp().fullSynopsis());
    err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return cl.getCommandSpec().exitCodeOnInvalidInput();
  }

  /** The version of unroll-cli, from the build. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in = Unroll.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {"unroll " + p.getProperty("version", "(unknown version)"),
          "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
    }
  }
}
