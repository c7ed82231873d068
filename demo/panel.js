// The theme switcher sets data-vib3-theme on <html>; the language select switches every component's strings.
const { setLocale } = window.Vib3;
document.getElementById('locale').addEventListener('change', (e) => {
  setLocale(e.target.value);
  document.documentElement.lang = e.target.value;
});
