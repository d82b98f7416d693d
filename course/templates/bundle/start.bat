@echo off
rem Career Aspirations Workshop: the first time, set up in this folder; every time, open the lessons.
rem Double-click this file.
cd /d "%~dp0"
echo Career Aspirations Workshop
echo Needs: Python 3.11 or newer; the internet the first time only; about @SIZE_MB@ MB of disk.
echo.
if exist .venv\.ready goto start
set "PY="
py -3 -c "import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)" >nul 2>nul && set "PY=py -3"
if not defined PY python -c "import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)" >nul 2>nul && set "PY=python"
if not defined PY goto nopython
echo First start: setting up in this folder, a few minutes. Nothing outside it changes.
if exist .venv rmdir /s /q .venv
%PY% -m venv .venv || goto failed
.venv\Scripts\python -m pip install --quiet --disable-pip-version-check ".\@WHEEL@[speech]" || goto failed
type nul > .venv\.ready
echo Set up. Next time this starts in seconds, without the internet.
:start
echo Opening the lessons in your browser. To stop: close the tab, then close this window.
rem @COMMAND@: the learner app once it ships, JupyterLab until then.
.venv\Scripts\python -m course @COMMAND@ %*
pause
exit /b 0
:nopython
echo Python 3.11 or newer was not found on this computer.
echo Install it from https://www.python.org/downloads/ and tick "Add python.exe to PATH",
echo then double-click start.bat again.
pause
exit /b 1
:failed
if exist .venv rmdir /s /q .venv
echo Setting up did not finish: check the internet connection and double-click start.bat again.
pause
exit /b 1
