// Build 1 (-Dweft.failOnWarning) failed on the warning without writing; build 2 wove with the warning listed.
def log = new File(basedir, 'build.log').text
def line = new File(basedir, 'src/main/java/demo/Forgetful.java').readLines().findIndexOf { it.contains('// warning:') } + 1
def warning = "[WARNING] Forgetful.java:${line}: warning: demo.Forgetful.run"
assert log.count(warning) == 2 : "the warning is listed by both builds: ${warning}"
assert log.contains('Weft found 1 warning (weft.failOnWarning is set) in @Async code')
assert log.count('woven 2 methods in 1 class, 0 unchanged skipped') == 1 : 'only the second build wove'
// Neither build is verbose: the summary is the goal's one line, the classes written go to debug.
assert !log.contains('woven demo/') : 'without weft.verbose no class file is listed'
def classes = new File(basedir, 'target/classes/demo').list().sort()
assert classes.size() == 3 : "the host and one state machine per @Async method: ${classes}"
return true
