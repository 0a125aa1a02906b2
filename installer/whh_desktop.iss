; Inno Setup 6 script: the per-user Windows installer of WHH Desktop (no administrator rights needed).
;
; Build on Windows after the PyInstaller build (see installer/README.md):
;   "%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe" installer\whh_desktop.iss
; -> dist\WHH-Desktop-<version>-Setup.exe
; Optional: /DDistDir=C:\path\to\whh-desktop (the one-folder build), /DAppVersion=1.2.3 (otherwise the version
; is read from the ProductVersion of whh-desktop.exe, which the spec sets from whh_desktop.__version__).
;
; The data (store.whh, store.key, backups) lives in %LOCALAPPDATA%\Diakoniestiftung Herford\WHH Desktop\, outside
; the program folder. Setup never writes there and uninstall never deletes it: uninstalling keeps the data, and a
; reinstall or an update finds it again.

#define AppName "WHH Desktop"
#define AppPublisher "Diakoniestiftung Herford"
#define AppExe "whh-desktop.exe"
#ifndef DistDir
  #define DistDir AddBackslash(SourcePath) + "..\dist\whh-desktop"
#endif
#ifndef AppVersion
  #define AppVersion GetStringFileInfo(AddBackslash(DistDir) + AppExe, PRODUCT_VERSION)
#endif
#if AppVersion == ""
  #error "Keine Version: erst den PyInstaller-Build erstellen (dist\whh-desktop\whh-desktop.exe) oder /DAppVersion angeben."
#endif

[Setup]
; AppId identifies the installation for updates and uninstall: never change it.
AppId={{7C1E4B52-3F0A-4B8E-9C57-2D6A1E5F9B31}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
AppComments=Offline-Fallverwaltung der Wohnungsnotfallhilfe im Kreis Herford
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
; per user, without admin rights: {autopf} is %LOCALAPPDATA%\Programs, {group} the user's start menu
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#DistDir}\..
OutputBaseFilename=WHH-Desktop-{#AppVersion}-Setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no
LanguageDetectionMethod=none
UninstallDisplayName={#AppName}
UninstallDisplayIcon={app}\{#AppExe}
SetupIconFile=..\resources\icons\whh.ico
; a running WHH Desktop is asked to close (Restart Manager) before files are replaced or removed
CloseApplications=yes
RestartApplications=no
SetupLogging=yes

[Languages]
Name: "german"; MessagesFile: "compiler:Languages\German.isl"

[CustomMessages]
german.DataKept=WHH Desktop wurde entfernt. Ihre Daten wurden NICHT gelöscht:%n%n%1%n%nDort liegen der verschlüsselte Datenbestand, die Schlüsseldatei und die Sicherungen. Nach einer Neuinstallation sind sie wieder da. Zum endgültigen Löschen den Ordner von Hand entfernen (vorher klären, ob die Daten noch aufbewahrt werden müssen).

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; an update replaces the libraries completely (no stale Qt plugins or modules of the old version)
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "Fallverwaltung der Wohnungsnotfallhilfe"
Name: "{group}\{#AppName} deinstallieren"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; only what the program itself left in its folder; the data folder is not listed and therefore kept
Type: filesandordirs; Name: "{app}\_internal"

[Code]
function DataDir(): String;
begin
  Result := ExpandConstant('{localappdata}\{#AppPublisher}\{#AppName}');
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and DirExists(DataDir()) and not UninstallSilent() then
    MsgBox(FmtMessage(CustomMessage('DataKept'), [DataDir()]), mbInformation, MB_OK);
end;
