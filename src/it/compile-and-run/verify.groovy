def log = new File(basedir, 'build.log').text
assert log.contains('IT OK: UnrolledForecaster 4608 params, output (2, 32)')
assert log.contains('Total params: 4,608')
assert new File(basedir, 'target/generated-sources/annotations/it/app/UnrolledForecaster.java').isFile()
assert log.contains('UnrolledForecaster self-check passed (float64)')
// the picture of the model, beside the class
def svg = new File(basedir, 'target/classes/it/app/UnrolledForecaster.svg')
assert svg.isFile()
assert svg.text.contains('kernel_c (3, 32) = W[:, 64:96]')
