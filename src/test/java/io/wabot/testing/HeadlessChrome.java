package io.wabot.testing;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium for the browser tests, found on Linux and macOS alike: {@code CHROME_BIN} and
 * {@code CHROMEDRIVER} name the browser and its driver; unset, the usual places of Debian/Ubuntu
 * packages, Homebrew and the macOS applications are tried. When neither is found the test fails with
 * a message that names the variable to set.
 */
public final class HeadlessChrome {

  public static final String BROWSER_VARIABLE = "CHROME_BIN";
  public static final String DRIVER_VARIABLE = "CHROMEDRIVER";

  static final List<String> BROWSER_PLACES = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
      "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable", "/snap/bin/chromium",
      "/Applications/Chromium.app/Contents/MacOS/Chromium",
      "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome");
  static final List<String> DRIVER_PLACES = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver",
      "/usr/lib/chromium-browser/chromedriver", "/snap/bin/chromium.chromedriver", "/usr/local/bin/chromedriver",
      "/opt/homebrew/bin/chromedriver");

  /**
   * Selenium warns at every start when it has no DevTools classes for this Chromium's version; the
   * one DevTools command used here (Emulation.setDeviceMetricsOverride) needs none. Held in a field:
   * java.util.logging keeps loggers weakly, and a collected logger would forget its level.
   */
  private static final java.util.logging.Logger CDP_VERSION_FINDER =
      java.util.logging.Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

  static {
    CDP_VERSION_FINDER.setLevel(java.util.logging.Level.SEVERE);
  }

  private HeadlessChrome() {
  }

  /**
   * A headless browser of the given window size with a fresh profile; {@code quit()} it afterwards.
   * The flags keep it from reaching out to the network (this machine has none) and from needing a GPU.
   */
  public static ChromeDriver start(Path profile, int width, int height) {
    File browser = executable(BROWSER_VARIABLE, BROWSER_PLACES, "chromium",
        "Debian/Ubuntu: sudo apt-get install chromium chromium-driver; macOS: brew install --cask chromium");
    File driver = executable(DRIVER_VARIABLE, DRIVER_PLACES, "chromedriver",
        "Debian/Ubuntu: sudo apt-get install chromium-driver; macOS: brew install --cask chromedriver");
    ChromeOptions options = new ChromeOptions().setBinary(browser).addArguments("--headless=new", "--no-sandbox",
        "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--window-size=" + width + "," + height,
        "--user-data-dir=" + profile);
    ChromeDriver chrome = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(driver).build(), options);
    try {
      // A window is never narrower than Chromium's minimum (about 500 px): a phone's width is emulated
      chrome.executeCdpCommand("Emulation.setDeviceMetricsOverride",
          Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", width < 768));
    } catch (RuntimeException e) {
      chrome.quit(); // the caller never gets the driver to quit: no browser is left behind
      throw e;
    }
    return chrome;
  }

  /** Saves what the browser shows as {@code target/<name>.png} for people to look at; returns the file. */
  public static Path screenshot(ChromeDriver browser, String name) throws java.io.IOException {
    Path file = Path.of("target", name + ".png");
    java.nio.file.Files.createDirectories(file.getParent());
    java.nio.file.Files.write(file, browser.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
    return file;
  }

  static File executable(String variable, List<String> places, String what, String install) {
    String named = System.getenv(variable);
    if (named != null && !named.isBlank()) {
      File file = new File(named);
      if (!file.canExecute()) {
        throw new IllegalStateException(variable + "=" + named + " is not an executable file; point " + variable
            + " at " + what + " (" + install + ")");
      }
      return file;
    }
    Optional<File> found = places.stream().map(File::new).filter(File::canExecute).findFirst();
    return found.orElseThrow(() -> new IllegalStateException("no " + what + " found in " + places + "; install it ("
        + install + ") or set " + variable + " to its path"));
  }
}
