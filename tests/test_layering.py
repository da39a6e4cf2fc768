"""nlp/ and models/ stand alone: importing them must not load the web framework."""
import subprocess
import sys

import pytest


@pytest.mark.parametrize("package", ["nlp", "models"])
def test_package_imports_without_flask(package):
    code = f"import sys, {package}; assert 'flask' not in sys.modules, sorted(m for m in sys.modules if m.startswith('flask'))"
    subprocess.run([sys.executable, "-c", code], check=True)
