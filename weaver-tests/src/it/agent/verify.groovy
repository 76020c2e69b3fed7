// The agent wove Fetch as it loaded, and reported Locked's misuse as File.java:line on stderr.
def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 2, Failures: 0, Errors: 0')
assert log.contains('weft agent: woven demo.Fetch (2 methods)')
def lockedLine = new File(basedir, 'src/main/java/demo/Locked.java').readLines().findIndexOf { it.contains('// error:') } + 1
assert log.contains("Locked.java:${lockedLine}: error: demo.Locked.update") : 'the agent names file and line'
assert log.contains('demo.Locked is left unwoven')

// The same jar is the command-line weaver.
def version = new File(basedir, 'pom.xml').text.find(/weft-cli\/([^\/]+)\//) { all, v -> v }
def jar = new File(localRepositoryPath, "dev/weft/weft-cli/${version}/weft-cli-${version}.jar")
def legacyJar = new File(localRepositoryPath, "dev/weft/weft-maven-plugin/${version}/weft-maven-plugin-${version}.jar")
def runtime = new File(localRepositoryPath, "dev/weft/weft-runtime/${version}/weft-runtime-${version}.jar")
def java = new File(System.getProperty('java.home'), 'bin/java').path
def cli = { List<String> args, File tool = jar ->
    def process = ([java, '-jar', tool.path] + args).execute(null, basedir)
    def out = new StringBuilder(), err = new StringBuilder()
    process.waitForProcessOutput(out, err)
    [process.exitValue(), out.toString(), err.toString()]
}

def (helpStatus, helpOut, helpErr) = cli(['--help'])
assert helpStatus == 0 && helpOut.contains('Usage: java -jar')
def (usageStatus, usageOut, usageErr) = cli([])
assert usageStatus == 2 && usageErr.contains('Usage: java -jar')

def classes = new File(basedir, 'target/classes')
def lockedBefore = new File(classes, 'demo/Locked.class').bytes
def (errorStatus, errorOut, errorErr) = cli(['--classpath', runtime.path, classes.path])
assert errorStatus == 1 : errorErr
assert errorErr.contains("Locked.java:${lockedLine}: error: demo.Locked.update")
assert new File(classes, 'demo/Locked.class').bytes == lockedBefore

new File(classes, 'demo/Locked.class').delete()
def (okStatus, okOut, okErr) = cli(['--classpath', runtime.path, classes.path])
assert okStatus == 0 : okErr
assert okOut.contains('woven 2 methods in 1 class') : okOut

// The plugin's jar still works as the command line (and the agent), as it did before weft-cli.
def (legacyHelp, legacyHelpOut, legacyHelpErr) = cli(['--help'], legacyJar)
assert legacyHelp == 0 && legacyHelpOut.contains('Usage: java -jar') : legacyHelpErr
def (legacyVersion, legacyVersionOut, legacyVersionErr) = cli(['--version'], legacyJar)
assert legacyVersion == 0 && legacyVersionOut.trim() == "weft ${version}" : legacyVersionOut + legacyVersionErr
def (cliVersion, cliVersionOut, cliVersionErr) = cli(['--version'])
assert cliVersion == 0 && cliVersionOut.trim() == "weft ${version}" : cliVersionOut + cliVersionErr
new File(classes, 'demo/Locked.class').bytes = lockedBefore
def (legacyStatus, legacyOut, legacyErr) = cli(['--classpath', runtime.path, classes.path], legacyJar)
assert legacyStatus == 1 && legacyErr.contains("Locked.java:${lockedLine}: error: demo.Locked.update") : legacyErr
return true
