; Tsuzuki's Windows installer (Inno Setup 6), from the bundle packaging\build.py makes in dist\tsuzuki.
; Not run on the Linux machine this project is built on: untested.
;   .venv\Scripts\python packaging\build.py
;   iscc /DVersion=0.1.0 packaging\windows\tsuzuki.iss      (the version in core\__init__.py)
; makes dist\tsuzuki-VERSION-setup.exe: a Start menu entry, start on login as an option (the same
; Run value the app's "Start on login" setting writes), and an uninstaller that asks before it
; deletes the user's data.
#ifndef Version
  #error Pass the version: iscc /DVersion=X.Y.Z packaging\windows\tsuzuki.iss
#endif

[Setup]
AppId={{6B0F3E1A-51B2-4C9E-9E0C-7A3D2B8F4E15}
AppName=Tsuzuki
AppVersion={#Version}
AppPublisher=Tsuzuki developers
DefaultDirName={autopf}\Tsuzuki
DefaultGroupName=Tsuzuki
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=tsuzuki-{#Version}-setup
UninstallDisplayIcon={app}\tsuzuki.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "fr"; MessagesFile: "compiler:Languages\French.isl"

[CustomMessages]
en.StartOnLogin=Start Tsuzuki when I log in (in the tray)
fr.StartOnLogin=Lancer Tsuzuki à l'ouverture de session (dans la zone de notification)
en.DeleteData=Also delete your Tsuzuki data (watchlist, settings, download history) in %1?%n%nChoose No to keep it for a later installation.
fr.DeleteData=Supprimer aussi vos données Tsuzuki (liste, réglages, historique des téléchargements) dans %1 ?%n%nChoisissez Non pour les garder pour une prochaine installation.

[Tasks]
Name: "startonlogin"; Description: "{cm:StartOnLogin}"; Flags: unchecked

[Files]
Source: "..\..\dist\tsuzuki\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\Tsuzuki"; Filename: "{app}\tsuzuki.exe"

[Registry]
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: string; ValueName: "Tsuzuki"; \
  ValueData: """{app}\tsuzuki.exe"" --minimized"; Tasks: startonlogin; Flags: uninsdeletevalue

[Run]
Filename: "{app}\tsuzuki.exe"; Description: "{cm:LaunchProgram,Tsuzuki}"; Flags: nowait postinstall skipifsilent

[UninstallRun]
; The Run value goes even when the app's own setting wrote it rather than this installer.
Filename: "reg.exe"; Parameters: "delete HKCU\Software\Microsoft\Windows\CurrentVersion\Run /v Tsuzuki /f"; \
  Flags: runhidden; RunOnceId: "RemoveRunValue"

[Code]
{ The data folder is platformdirs' roaming app-data folder, as core/datafolder.py asks for. }
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Data: String;
begin
  if CurUninstallStep <> usPostUninstall then
    exit;
  Data := ExpandConstant('{userappdata}\Tsuzuki');
  if DirExists(Data) and not UninstallSilent and
     (MsgBox(FmtMessage(CustomMessage('DeleteData'), [Data]), mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES) then
    DelTree(Data, True, True, True);
end;
