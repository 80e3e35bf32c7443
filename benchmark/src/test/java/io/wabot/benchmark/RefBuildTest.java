package io.wabot.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The git half of --compare, on a repository of its own (the build half is mvn, run by hand with --compare). */
class RefBuildTest {

  @TempDir
  Path repo;
  @TempDir
  Path builds;

  @BeforeEach
  void twoCommits() throws Exception {
    git("init", "-q", "-b", "main");
    Files.writeString(repo.resolve("pom.xml"), "<project>first</project>\n");
    git("add", "pom.xml");
    git("commit", "-q", "-m", "first");
    git("tag", "v1");
    Files.writeString(repo.resolve("pom.xml"), "<project>second</project>\n");
    Files.createDirectories(repo.resolve("conf"));
    Files.writeString(repo.resolve("conf/jvm.options"), "-Xmx96m\n");
    git("add", ".");
    git("commit", "-q", "-m", "second");
  }

  @Test
  @DisplayName("a branch, a tag or a relative name resolves to its commit, whose files come out as git has them")
  void resolvesAndExtracts() throws Exception {
    String first = RefBuild.resolve(repo, "v1");
    assertThat(first).matches("[0-9a-f]{40}").isEqualTo(RefBuild.resolve(repo, "main~1"));
    assertThat(RefBuild.resolve(repo, "main")).isNotEqualTo(first);

    Files.writeString(repo.resolve("pom.xml"), "<project>uncommitted</project>\n");
    Path dir = builds.resolve("abc");
    Files.createDirectories(dir.resolve("stale"));
    RefBuild.extract(repo, RefBuild.resolve(repo, "main"), dir);
    assertThat(dir.resolve("pom.xml")).hasContent("<project>second</project>");
    assertThat(dir.resolve("conf/jvm.options")).exists();
    assertThat(dir.resolve("stale")).as("a fresh folder").doesNotExist();
    assertThat(builds).isDirectoryNotContaining("glob:**.tar");

    RefBuild.extract(repo, first, dir);
    assertThat(dir.resolve("pom.xml")).hasContent("<project>first</project>");
    assertThat(dir.resolve("conf")).doesNotExist();
    assertThat(new RefBuild.Built("v1", first, dir).label()).isEqualTo("v1 (" + first.substring(0, 7) + ")");
  }

  @Test
  @DisplayName("the current build is described by its commit, and by its uncommitted changes when there are some")
  void describesTheWorkingTree() throws Exception {
    String head = RefBuild.resolve(repo, "HEAD").substring(0, 7);
    assertThat(RefBuild.describeWorkingTree(repo)).isEqualTo("HEAD (" + head + ")");
    Files.writeString(repo.resolve("pom.xml"), "<project>changed</project>\n");
    assertThat(RefBuild.describeWorkingTree(repo)).isEqualTo("HEAD (" + head + ") + uncommitted changes");
  }

  @Test
  @DisplayName("a name git does not know is one clear line, and so is an option given where a commit should be")
  void unknownNames() {
    assertThatThrownBy(() -> RefBuild.resolve(repo, "no-such-branch")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--compare no-such-branch: git knows no commit by that name in " + repo + " (a branch, tag or hash, e.g. main)");
    assertThatThrownBy(() -> RefBuild.resolve(repo, "--all")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--compare '--all': give a branch, tag or commit");
  }

  private void git(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("git", "-c", "user.name=Bench", "-c", "user.email=bench@example.com",
        "-c", "commit.gpgsign=false"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).directory(repo.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("git %s: %s", String.join(" ", args), output).isZero();
  }
}
