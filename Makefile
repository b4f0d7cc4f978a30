# Two commands set up everything on a fresh machine:
#   make run   – create .venv, install GAN Studio, open the app
#   make test  – create .venv, install with test extras, run the checks and the whole suite
# and three more make it an installed desktop app (packaging/README.md):
#   make package            – a frozen one-folder build in dist/ganstudio (PyInstaller)
#   make install-desktop    – GAN Studio in its own environment, in the current user's desktop menu
#   make uninstall-desktop  – remove what install-desktop added (never the user's data folder)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test check bench clean package install-desktop uninstall-desktop

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

run: $(VENV)/.installed
	$(VENV)/bin/ganstudio

# The checks that keep the architecture: lint, types, and which package may import which.
check: $(VENV)/.installed
	$(VENV)/bin/ruff check ganstudio tests bench tools
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

test: check
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

bench: $(VENV)/.installed
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) $(PKG_VENV) build dist *.egg-info

# -- the frozen app -----------------------------------------------------------------------------
# .venv-package holds only the build tools; a .pth file adds .venv's packages behind its own, so the build
# reuses the app's torch and PySide6 instead of downloading them again. TORCH_PIP, if given, is
# installed into .venv-package as well and shadows .venv's torch, e.g. the CPU-only build that
# leaves out the CUDA libraries (packaging/README.md has the sizes):
#   make package TORCH_PIP="torch torchvision --index-url https://download.pytorch.org/whl/cpu"
PKG_VENV := .venv-package
PKG_PY := $(PKG_VENV)/bin/python
TORCH_PIP ?=

$(PKG_VENV)/.installed: $(VENV)/.installed packaging/requirements.txt
	test -x $(PKG_PY) || $(PYTHON) -m venv $(PKG_VENV)
	$(PY) -c "import sysconfig; print('import site; site.addsitedir(%r)' % sysconfig.get_paths()['purelib'])" \
		> "$$($(PKG_PY) -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")/ganstudio-app-env.pth"
	$(PKG_PY) -m pip install --quiet -r packaging/requirements.txt $(TORCH_PIP)
	touch $@

package: $(PKG_VENV)/.installed
	$(PKG_PY) -m PyInstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller packaging/ganstudio.spec
	@du -sh dist/ganstudio

# -- the desktop entry for the current user -------------------------------------------------------
# APP_ENV is the environment the menu entry runs. Left unset, install-desktop makes its own
# (under ~/.local/share/ganstudio-app) and installs this checkout into it, so the clone may be
# deleted afterwards; TORCH_PIP works here too (installed before GAN Studio). Set APP_ENV to an
# environment that already has GAN Studio (e.g. APP_ENV=.venv) to register that one as it is, or
# APP_EXEC to a program (e.g. APP_EXEC=$PWD/dist/ganstudio/ganstudio, the frozen build).
DATA_HOME := $(or $(XDG_DATA_HOME),$(HOME)/.local/share)
APP_ID := io.github.ganstudio.GANStudio
OWN_APP_ENV := $(DATA_HOME)/ganstudio-app/venv
APP_ENV ?= $(OWN_APP_ENV)
APP_EXEC ?= $(abspath $(APP_ENV))/bin/ganstudio
ICONS := $(shell cd packaging/icons && find hicolor -name '$(APP_ID).png')
# Menus notice new entries by themselves; these caches, where the desktop keeps them, just speed it up.
REFRESH_MENU = if command -v update-desktop-database >/dev/null; then update-desktop-database -q $(DATA_HOME)/applications; fi; \
	if command -v gtk-update-icon-cache >/dev/null; then gtk-update-icon-cache -q -t $(DATA_HOME)/icons/hicolor; fi

install-desktop:
ifeq ($(APP_ENV)|$(origin APP_EXEC),$(OWN_APP_ENV)|file)
	test -x $(APP_ENV)/bin/python || $(PYTHON) -m venv $(APP_ENV)
	$(APP_ENV)/bin/python -m pip install --quiet --upgrade pip
	$(if $(TORCH_PIP),$(APP_ENV)/bin/python -m pip install --quiet $(TORCH_PIP))
	$(APP_ENV)/bin/python -m pip install --quiet .
endif
	test -x $(APP_EXEC) || { echo "$(APP_EXEC) is not a GAN Studio program"; exit 1; }
	mkdir -p $(DATA_HOME)/applications $(DATA_HOME)/metainfo
	sed 's|^Exec=ganstudio$$|Exec=$(APP_EXEC)|' packaging/linux/$(APP_ID).desktop \
		> $(DATA_HOME)/applications/$(APP_ID).desktop
	cp packaging/linux/$(APP_ID).metainfo.xml $(DATA_HOME)/metainfo/
	for icon in $(ICONS); do install -D -m 644 packaging/icons/$$icon $(DATA_HOME)/icons/$$icon; done
	$(REFRESH_MENU)
	@echo "GAN Studio is in the menu: $(DATA_HOME)/applications/$(APP_ID).desktop"

uninstall-desktop:
	rm -f $(DATA_HOME)/applications/$(APP_ID).desktop $(DATA_HOME)/metainfo/$(APP_ID).metainfo.xml
	rm -f $(addprefix $(DATA_HOME)/icons/,$(ICONS))
	rm -rf $(DATA_HOME)/ganstudio-app
	$(REFRESH_MENU)
	@echo "removed GAN Studio's menu entry and app environment; your data folder is untouched"
