; Inno Setup script for the Windows installer (written for Inno Setup 6; not run in
; this project's CI, which is Linux only). packaging/build.sh windows runs:
;   iscc /DAppVersion=X.Y.Z /DSourceDir=<repository> packaging\windows\annotator.iss
; after PyInstaller has made build\dist\annotator\ (the one-folder app).
#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\.."
#endif
#ifndef BuildDir
  #define BuildDir SourceDir + "\build"
#endif

[Setup]
AppId={{7B0F6E1C-3C2A-4E55-9E0B-6A1D2F4C8A11}
AppName=Annotator
AppVersion={#AppVersion}
AppPublisher=Annotator contributors
DefaultDirName={autopf}\Annotator
DefaultGroupName=Annotator
; Per-user install by default (no administrator needed); the dialog offers all users.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputDir={#BuildDir}\installers
OutputBaseFilename=Annotator-{#AppVersion}-setup
SetupIconFile={#BuildDir}\icons\annotator.ico
UninstallDisplayIcon={app}\annotator.exe
LicenseFile={#SourceDir}\LICENSE
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
ChangesAssociations=yes

[Files]
Source: "{#BuildDir}\dist\annotator\*"; DestDir: "{app}"; Flags: recursesubdirs createallsubdirs ignoreversion

[Icons]
Name: "{group}\Annotator"; Filename: "{app}\annotator.exe"
Name: "{autodesktop}\Annotator"; Filename: "{app}\annotator.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; Flags: unchecked

[Registry]
; Windows keys file types on the last extension only (".sqlite"), so Annotator does
; not take every SQLite file: it registers a ProgID and adds itself to ".sqlite"'s
; "Open with" list. A project then opens with a double-click once the user picks
; Annotator there (or sets it as the default for .sqlite files).
Root: HKA; Subkey: "Software\Classes\Annotator.Project"; ValueType: string; ValueName: ""; ValueData: "Annotator project"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Annotator.Project\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\annotator.exe,0"
Root: HKA; Subkey: "Software\Classes\Annotator.Project\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\annotator.exe"" ""%1"""
Root: HKA; Subkey: "Software\Classes\.sqlite\OpenWithProgids"; ValueType: string; ValueName: "Annotator.Project"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\Applications\annotator.exe\SupportedTypes"; ValueType: string; ValueName: ".sqlite"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\annotator.exe"; Description: "Start Annotator"; Flags: nowait postinstall skipifsilent
