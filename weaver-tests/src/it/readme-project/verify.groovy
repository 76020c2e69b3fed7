// The README's block alone wove the project and its test ran the woven code.
def log = new File(basedir, 'build.log').text
assert log.contains('woven 2 methods in 1 class') : 'the weave goal wove Fetch'
assert log.contains('Tests run: 1, Failures: 0, Errors: 0')
return true
